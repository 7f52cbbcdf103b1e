namespace Whetstone.Training.Data;

/// <summary>
/// One training sequence: token ids, the loss mask and per-token metadata, all of the same length.
/// </summary>
/// <remarks>
/// The mask is given per TARGET token: <c>LossMask[t]</c> weighs the loss of predicting <c>Ids[t]</c> from
/// <c>Ids[..t]</c> (the logits at position t − 1), which is what <c>CausalLmLoss.NextToken</c> takes. It is the turn's
/// weight (1, or 0 for ActionStep.Weight = 0) on every token the assistant produced — its text, tool calls and
/// end-of-turn token — and 0 on everything else. Position 0 is never a target.
/// </remarks>
public sealed class TokenizedSequence
{
    /// <summary>Creates a sequence; arrays must have the same length.</summary>
    public TokenizedSequence(int[] ids, float[] lossMask, int[] turnIndex, IReadOnlyList<TokenSpan> spans,
        float[]? oldLogProbs = null, string? sourceId = null, int truncatedTokenCount = 0)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(lossMask);
        ArgumentNullException.ThrowIfNull(turnIndex);
        ArgumentNullException.ThrowIfNull(spans);
        if (lossMask.Length != ids.Length || turnIndex.Length != ids.Length || (oldLogProbs is not null && oldLogProbs.Length != ids.Length))
            throw new ArgumentException($"sequence arrays differ in length: {ids.Length} ids, {lossMask.Length} mask, {turnIndex.Length} turn indices, {oldLogProbs?.Length} log-probs");
        Ids = ids;
        LossMask = lossMask;
        TurnIndex = turnIndex;
        Spans = spans;
        OldLogProbs = oldLogProbs;
        SourceId = sourceId;
        TruncatedTokenCount = truncatedTokenCount;
    }

    /// <summary>Token ids, (T).</summary>
    public int[] Ids { get; }

    /// <summary>Loss weight of each token as a prediction target, (T): the turn weight on assistant tokens, 0 elsewhere.</summary>
    public float[] LossMask { get; }

    /// <summary>Per token, (T): the 0-based assistant turn it belongs to, or −1 for context tokens.</summary>
    public int[] TurnIndex { get; }

    /// <summary>Context and completion runs in order; they tile the sequence.</summary>
    public IReadOnlyList<TokenSpan> Spans { get; }

    /// <summary>
    /// Per token, (T): log-probability of the token under the policy that sampled it (GRPO's old policy), 0 on tokens
    /// that were not generated. Null when the sequence was not built from rollouts with log-probs.
    /// </summary>
    public float[]? OldLogProbs { get; }

    /// <summary>The trajectory id this sequence came from, if any.</summary>
    public string? SourceId { get; }

    /// <summary>Tokens cut off the end to respect the maximum length (0 when none).</summary>
    public int TruncatedTokenCount { get; }

    /// <summary>Number of tokens.</summary>
    public int Length => Ids.Length;

    /// <summary>Number of tokens with a non-zero loss weight. A sequence with none teaches nothing; trainers skip it.</summary>
    public int TrainableTokenCount => LossMask.Count(w => w != 0f);
}
