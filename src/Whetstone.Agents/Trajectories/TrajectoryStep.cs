using System.Text.Json.Nodes;

namespace Whetstone.Agents.Trajectories;

/// <summary>One step of a <see cref="Trajectory"/>: either an agent action or an observation.</summary>
public abstract record TrajectoryStep
{
    /// <summary>Reward given right after this step, where the environment gives per-step rewards.</summary>
    public double? Reward { get; init; }

    /// <summary>
    /// Free per-step metadata, null when there is none. Format converters keep fields here that the trajectory has
    /// no typed place for (e.g. ADP action descriptions, unknown message keys), so that round trips stay lossless.
    /// </summary>
    public JsonObject? Metadata { get; init; }
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

    /// <summary>
    /// Training weight of this turn as in OpenAI's fine-tuning format: 0 = do not train on it, 1 = train on it;
    /// null = the default (train on it).
    /// </summary>
    public int? Weight { get; init; }
}

/// <summary>A step in which the agent observed something.</summary>
/// <param name="Observation">What it observed.</param>
public sealed record ObservationStep(Observation Observation) : TrajectoryStep;
