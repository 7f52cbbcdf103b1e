namespace Whetstone.Training.Objectives;

/// <summary>Settings of <see cref="PolicyLoss"/> (the GRPO/PPO clipped surrogate).</summary>
public sealed record PolicyLossOptions
{
    /// <summary>ε_low: the ratio is clipped below at 1 − ε_low. PPO/GRPO's 0.2.</summary>
    public float ClipLow { get; init; } = 0.2f;

    /// <summary>ε_high: the ratio is clipped above at 1 + ε_high. 0.2 is symmetric PPO; DAPO's clip-higher uses 0.28.</summary>
    public float ClipHigh { get; init; } = 0.2f;

    /// <summary>β, the weight of the k3 KL to the reference policy; 0 (TRL's default) needs no reference log-probs.</summary>
    public float Beta { get; init; }

    /// <summary>How the per-token losses are reduced; DAPO's token-level mean by default.</summary>
    public LossAggregation Aggregation { get; init; } = LossAggregation.TokenMean;

    /// <summary>The constant completion length L of <see cref="LossAggregation.FixedLength"/> (e.g. max new tokens).</summary>
    public int FixedLength { get; init; }

    /// <summary>
    /// |new − old| log-ratio bound before exp, as verl (±20): keeps the ratio finite on a badly stale token. The clamp's
    /// gradient is 0 outside the bound. Set to +∞ to disable.
    /// </summary>
    public float MaxLogRatio { get; init; } = 20f;

    /// <summary>
    /// Gradient accumulation: Σ mask over the whole optimiser step when it is split into micro-batches, used by
    /// <see cref="LossAggregation.TokenMean"/> instead of this call's own Σ mask, so that the micro-batch losses (and
    /// gradients) add up to the full batch's. 0 = this call's own.
    /// </summary>
    public double StepMaskTotal { get; init; }

    /// <summary>
    /// Gradient accumulation: sequences in the whole optimiser step (those with any masked token for
    /// <see cref="LossAggregation.SequenceMean"/>, all rows for <see cref="LossAggregation.FixedLength"/>). 0 = this call's own.
    /// </summary>
    public int StepSequenceCount { get; init; }

    internal void Validate()
    {
        if (!(StepMaskTotal >= 0) || !double.IsFinite(StepMaskTotal)) throw new ArgumentOutOfRangeException(nameof(StepMaskTotal), StepMaskTotal, "must be finite and ≥ 0");
        if (StepSequenceCount < 0) throw new ArgumentOutOfRangeException(nameof(StepSequenceCount), StepSequenceCount, "must be ≥ 0");
        if (!(ClipLow >= 0f && ClipLow < 1f)) throw new ArgumentOutOfRangeException(nameof(ClipLow), ClipLow, "ε_low must be in [0, 1)");
        if (!(ClipHigh >= 0f)) throw new ArgumentOutOfRangeException(nameof(ClipHigh), ClipHigh, "ε_high must be ≥ 0");
        if (!(Beta >= 0f) || !float.IsFinite(Beta)) throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "β must be finite and ≥ 0");
        if (!(MaxLogRatio > 0f)) throw new ArgumentOutOfRangeException(nameof(MaxLogRatio), MaxLogRatio, "the log-ratio bound must be > 0");
        if (Aggregation == LossAggregation.FixedLength && FixedLength < 1)
            throw new ArgumentOutOfRangeException(nameof(FixedLength), FixedLength, "FixedLength aggregation needs FixedLength ≥ 1");
    }
}
