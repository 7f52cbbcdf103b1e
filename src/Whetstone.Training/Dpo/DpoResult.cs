using Whetstone.Training.Objectives;

namespace Whetstone.Training.Dpo;

/// <summary>What a <see cref="DpoTrainer"/> run did.</summary>
public sealed record DpoResult
{
    /// <summary>Optimizer steps completed in total (resumed steps included).</summary>
    public required long Steps { get; init; }

    /// <summary>DPO loss of each step this process ran, in order.</summary>
    public required IReadOnlyList<double> StepLosses { get; init; }

    /// <summary>Implicit-reward diagnostics of each step this process ran (means over the step's pairs).</summary>
    public required IReadOnlyList<DpoMetrics> StepMetrics { get; init; }

    /// <summary>Non-padding tokens forwarded through the policy by this process.</summary>
    public required long Tokens { get; init; }

    /// <summary>Wall-clock seconds of this process's training loop.</summary>
    public required double ElapsedSeconds { get; init; }
}
