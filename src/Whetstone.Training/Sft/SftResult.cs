namespace Whetstone.Training.Sft;

/// <summary>What an <see cref="SftTrainer"/> run did.</summary>
public sealed record SftResult
{
    /// <summary>Optimizer steps completed in total (resumed steps included).</summary>
    public required long Steps { get; init; }

    /// <summary>Training loss of each step this process ran, in order.</summary>
    public required IReadOnlyList<double> StepLosses { get; init; }

    /// <summary>Held-out loss (token-mean cross-entropy) by step, when an eval set was given.</summary>
    public required IReadOnlyList<(long Step, double Loss)> EvalLosses { get; init; }

    /// <summary>Non-padding tokens forwarded by this process.</summary>
    public required long Tokens { get; init; }

    /// <summary>Wall-clock seconds of this process's training loop.</summary>
    public required double ElapsedSeconds { get; init; }

    /// <summary>Whether <see cref="SftConfig.StopAfterStep"/> ended the run before <see cref="SftConfig.MaxSteps"/>.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Non-padding tokens per second over the run.</summary>
    public double TokensPerSecond => ElapsedSeconds > 0 ? Tokens / ElapsedSeconds : 0;
}
