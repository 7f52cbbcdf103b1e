using Whetstone.Agents.Trajectories;
using Whetstone.Training.Progress;

namespace Whetstone.Cli.Progress;

/// <summary>The progress of <c>WHET_PROGRESS=none</c>: it shows nothing.</summary>
internal sealed class SilentProgress : ITrainingProgress, IEpisodeProgress
{
    public void Start(long totalSteps) { }
    public void Report(long step, double loss, long tokens) { }
    public void Add(Trajectory trajectory) { }
    public void Finish() { }
}
