using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Environments;

/// <summary>
/// The environment's answer to one action: observations (one per tool call, plus any feedback), the reward for
/// this step, and whether the episode is over.
/// </summary>
public sealed record EnvironmentStep
{
    /// <summary>What the agent sees next; tool outputs carry the id of the call they answer.</summary>
    public IReadOnlyList<Observation> Observations { get; init; } = [];

    /// <summary>Reward for this step. The episode's reward is the sum over steps.</summary>
    public double Reward { get; init; }

    /// <summary>True when the episode is over.</summary>
    public bool Done { get; init; }

    /// <summary>When <see cref="Done"/>: whether the task was solved.</summary>
    public bool? Success { get; init; }

    /// <summary>Environment-specific metrics at the end of the episode (e.g. <c>regret</c>), else empty.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}
