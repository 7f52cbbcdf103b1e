using Whetstone.Agents.Evaluation;

namespace Whetstone.Training.Grpo;

/// <summary>What a <see cref="GrpoTrainer"/> run did.</summary>
public sealed record GrpoResult
{
    /// <summary>GRPO steps completed (including those restored from a checkpoint).</summary>
    public long Steps { get; init; }

    /// <summary>Each step taken in this call, in order, with its step number.</summary>
    public IReadOnlyList<(long Step, GrpoStepResult Result)> StepResults { get; init; } = [];

    /// <summary>Held-out evaluations: (step, report); step 0 is the starting policy.</summary>
    public IReadOnlyList<(long Step, EvaluationReport Report)> Evaluations { get; init; } = [];

    /// <summary>Seconds spent generating rollouts.</summary>
    public double GenerationSeconds { get; init; }

    /// <summary>Seconds spent in reference passes, forward/backward and optimizer updates.</summary>
    public double TrainingSeconds { get; init; }

    /// <summary>Seconds spent in held-out evaluation.</summary>
    public double EvaluationSeconds { get; init; }

    /// <summary>Wall-clock seconds of the whole call.</summary>
    public double ElapsedSeconds { get; init; }
}
