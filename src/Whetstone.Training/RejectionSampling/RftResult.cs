using Whetstone.Agents.Evaluation;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Training.RejectionSampling;

/// <summary>What one round of rejection sampling did.</summary>
public sealed record RftRound
{
    /// <summary>1-based round number.</summary>
    public required int Round { get; init; }

    /// <summary>Episodes sampled (train tasks × k).</summary>
    public required int Sampled { get; init; }

    /// <summary>Sampled episodes that ended in an infrastructure error (never kept, never counted as failures).</summary>
    public required int InfrastructureErrors { get; init; }

    /// <summary>Sampled episodes that succeeded (before deduplication).</summary>
    public required int Successes { get; init; }

    /// <summary>New trajectories kept this round: successful, not an infrastructure error, not a duplicate.</summary>
    public required int Kept { get; init; }

    /// <summary>Train tasks with at least one successful sample this round.</summary>
    public required int TasksSolved { get; init; }

    /// <summary>Trajectories the round's SFT trained on (this round's kept set, plus earlier ones when mixing).</summary>
    public required int DatasetSize { get; init; }

    /// <summary>SFT optimizer steps this round (0 when nothing was kept).</summary>
    public required long SftSteps { get; init; }

    /// <summary>Last SFT step's loss, NaN when the round did not train.</summary>
    public required double FinalLoss { get; init; }

    /// <summary>Greedy held-out evaluation after the round, null when <see cref="RftConfig.EvalTasks"/> is 0.</summary>
    public EvaluationReport? Eval { get; init; }
}

/// <summary>What an <see cref="RftTrainer"/> run did.</summary>
public sealed record RftResult
{
    /// <summary>Greedy held-out evaluation before the first round (the starting policy), null without evaluation.</summary>
    public EvaluationReport? Baseline { get; init; }

    /// <summary>The rounds, in order.</summary>
    public required IReadOnlyList<RftRound> Rounds { get; init; }

    /// <summary>Every kept (deduplicated) trajectory over all rounds.</summary>
    public required IReadOnlyList<Trajectory> Kept { get; init; }
}
