using Whetstone.Agents.Trajectories;

namespace Whetstone.Cli.Progress;

/// <summary>Progress of a rollout or evaluation: episodes done out of the total, with the success rate so far.</summary>
internal interface IEpisodeProgress
{
    /// <summary>An episode finished (called from the rollout runner's callback; implementations lock).</summary>
    void Add(Trajectory trajectory);

    /// <summary>All episodes finished or the run stopped.</summary>
    void Finish();
}
