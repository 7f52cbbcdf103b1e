namespace Whetstone.Agents.Trajectories;

/// <summary>One step of a <see cref="Trajectory"/>: either an agent action or an observation.</summary>
public abstract record TrajectoryStep
{
    /// <summary>Reward given right after this step, where the environment gives per-step rewards.</summary>
    public double? Reward { get; init; }
}

/// <summary>A step in which the agent acted.</summary>
/// <param name="Action">What the agent did.</param>
public sealed record ActionStep(AgentAction Action) : TrajectoryStep
{
    /// <summary>
    /// The exact token ids the policy generated for this turn, when a local policy produced it. RL trains on these
    /// ids (token-in/token-out) and never re-tokenizes the text.
    /// </summary>
    public IReadOnlyList<int>? TokenIds { get; init; }

    /// <summary>Log-probability of each id in <see cref="TokenIds"/> under the policy that sampled it.</summary>
    public IReadOnlyList<float>? LogProbs { get; init; }
}

/// <summary>A step in which the agent observed something.</summary>
/// <param name="Observation">What it observed.</param>
public sealed record ObservationStep(Observation Observation) : TrajectoryStep;
