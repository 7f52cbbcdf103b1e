namespace Whetstone.Training.Objectives;

/// <summary>Diagnostics of one <see cref="DpoLoss"/> call, means over the pairs (TRL's rewards/* names).</summary>
public sealed record DpoMetrics
{
    /// <summary>Number of pairs.</summary>
    public int PairCount { get; init; }

    /// <summary>Share of pairs whose chosen implicit reward exceeds the rejected one (rewards/accuracies).</summary>
    public double RewardAccuracy { get; init; }

    /// <summary>Mean of chosen − rejected implicit reward (rewards/margins).</summary>
    public double RewardMargin { get; init; }

    /// <summary>Mean β·(log π(chosen) − log π_ref(chosen)) (rewards/chosen).</summary>
    public double ChosenReward { get; init; }

    /// <summary>Mean β·(log π(rejected) − log π_ref(rejected)) (rewards/rejected).</summary>
    public double RejectedReward { get; init; }
}
