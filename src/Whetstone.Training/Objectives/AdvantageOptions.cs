namespace Whetstone.Training.Objectives;

/// <summary>Settings of <see cref="GroupAdvantages"/>.</summary>
public sealed record AdvantageOptions
{
    /// <summary>The estimator; GRPO by default.</summary>
    public AdvantageEstimator Estimator { get; init; } = AdvantageEstimator.Grpo;

    /// <summary>The std GRPO divides by; the sample std by default, as TRL (<c>rewards.view(-1, G).std(dim=1)</c>).</summary>
    public RewardStd Std { get; init; } = RewardStd.Sample;

    /// <summary>ε added to the std before dividing (GRPO only); TRL's 1e-4.</summary>
    public float Epsilon { get; init; } = 1e-4f;
}
