namespace Whetstone.Training.Objectives;

/// <summary>How per-token losses of a batch become one number.</summary>
public enum LossAggregation
{
    /// <summary>
    /// Σ over all masked tokens of the batch / Σ mask (DAPO's token-level loss; TRL's "dapo"). Every token weighs the
    /// same, so long completions are not down-weighted.
    /// </summary>
    TokenMean,

    /// <summary>Mean over each sequence's masked tokens, then mean over the sequences that have any (the original GRPO).</summary>
    SequenceMean,

    /// <summary>
    /// Σ over all masked tokens / (sequences · <see cref="PolicyLossOptions.FixedLength"/>) (Dr. GRPO; TRL's "dr_grpo"):
    /// a constant normaliser, so neither the length nor the batch's token count biases the gradient.
    /// </summary>
    FixedLength,
}
