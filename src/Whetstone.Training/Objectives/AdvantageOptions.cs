namespace Whetstone.Training.Objectives;

/// <summary>Settings of <see cref="GroupAdvantages"/>.</summary>
public sealed record AdvantageOptions
{
    /// <summary>The estimator; GRPO by default.</summary>
    public AdvantageEstimator Estimator { get; init; } = AdvantageEstimator.Grpo;

    /// <summary>The std GRPO divides by; the sample std by default, as TRL (<c>rewards.view(-1, G).std(dim=1)</c>).</summary>
    public RewardStd Std { get; init; } = RewardStd.Sample;

    /// <summary>
    /// Where GRPO's std comes from: each group's own (the default), or all rewards of the <see cref="GroupAdvantages.ForGroups"/>
    /// call (TRL's <c>scale_rewards="batch"</c>, "Lite PPO": group mean, batch std), which does not inflate the
    /// advantages of nearly-uniform groups.
    /// </summary>
    public StdScope StdScope { get; init; } = StdScope.Group;

    /// <summary>ε added to the std before dividing (GRPO only); TRL's 1e-4.</summary>
    public float Epsilon { get; init; } = 1e-4f;
}
