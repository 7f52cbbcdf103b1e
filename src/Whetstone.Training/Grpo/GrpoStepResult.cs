namespace Whetstone.Training.Grpo;

/// <summary>What one GRPO update did: rollout statistics, the loss metrics and the gradient.</summary>
public sealed record GrpoStepResult
{
    /// <summary>Episodes scored (infrastructure errors excluded).</summary>
    public int Episodes { get; init; }

    /// <summary>Episodes that ended in an infrastructure error (left out of rewards and of the update).</summary>
    public int InfrastructureErrors { get; init; }

    /// <summary>The first infrastructure error of the step as <c>trajectory id: detail</c>, or null when there was none.</summary>
    public string? FirstInfrastructureError { get; init; }

    /// <summary>Episodes cut short by a turn or token limit (scored as they stand).</summary>
    public int Truncated { get; init; }

    /// <summary>Mean episode reward over scored episodes.</summary>
    public double RewardMean { get; init; }

    /// <summary>Sample std of the episode rewards (0 with fewer than two).</summary>
    public double RewardStd { get; init; }

    /// <summary>Share of scored episodes with <c>Success == true</c>.</summary>
    public double SuccessRate { get; init; }

    /// <summary>Mean generated tokens per scored episode (all assistant turns).</summary>
    public double ResponseLength { get; init; }

    /// <summary>Groups in the step.</summary>
    public int Groups { get; init; }

    /// <summary>Groups left out: all rewards equal (when skipping is on) or fewer than two scored episodes.</summary>
    public int SkippedGroups { get; init; }

    /// <summary>Groups with differing rewards left out because the step already had its B (<see cref="GrpoConfig.OversampleTasks"/>).</summary>
    public int SurplusGroups { get; init; }

    /// <summary>Sequences trained on (0 when every group was skipped: then no optimizer update happened).</summary>
    public int Sequences { get; init; }

    /// <summary>Generated (loss-masked) tokens trained on.</summary>
    public long TrainedTokens { get; init; }

    /// <summary>All tokens in the trained sequences (prompt, observations and generated).</summary>
    public long Tokens { get; init; }

    /// <summary>Optimizer updates taken (μ, or 0 when nothing was trained).</summary>
    public int Updates { get; init; }

    /// <summary>Mean loss over the μ updates (NaN when nothing was trained).</summary>
    public double Loss { get; init; } = double.NaN;

    /// <summary>Global gradient norm before clipping, of the last update (NaN when nothing was trained).</summary>
    public double GradNorm { get; init; } = double.NaN;

    /// <summary>Mean k3 KL to the reference over trained tokens (null when β = 0 or nothing was trained).</summary>
    public double? Kl { get; init; }

    /// <summary>Share of trained tokens whose ratio was clipped (low + high).</summary>
    public double? ClipFraction { get; init; }

    /// <summary>Mean next-token entropy of the policy on trained tokens.</summary>
    public double? Entropy { get; init; }

    /// <summary>Mean k3 of the current policy vs the behaviour policy (how far the inner epochs moved).</summary>
    public double? ApproxKlToOld { get; init; }

    /// <summary>Mean ratio π/π_old over trained tokens.</summary>
    public double? MeanRatio { get; init; }
}
