using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Models.Transformer;

/// <summary>
/// Next-token cross-entropy for a causal LM: position t of each row predicts token t+1. The mask is given per
/// TOKEN (the token being predicted), exactly the loss mask of a trajectory: 1 on tokens the policy produced,
/// 0 on prompt, template, tool output and padding. Float weights (advantages, importance weights) work too.
/// </summary>
public static class CausalLmLoss
{
    /// <summary>
    /// Σ_b,t mask[b, t+1]·(−log p(ids[b, t+1] | ids[b, ≤t])), divided by Σ mask (Mean) or not (Sum) → shape (1,).
    /// </summary>
    /// <param name="tape">The tape that produced <paramref name="logits"/>.</param>
    /// <param name="logits">(B, T, V) from <see cref="TransformerModel.Forward"/>.</param>
    /// <param name="ids">The same ids, (B·T).</param>
    /// <param name="lossMask">Weight of each token as a target, (B·T); the first token of a row is never a target.</param>
    /// <param name="reduction">Mean over Σ mask (0 when the mask is all zero) or plain sum.</param>
    public static Tensor NextToken(Tape tape, Tensor logits, ReadOnlySpan<int> ids, ReadOnlySpan<float> lossMask,
        LossReduction reduction = LossReduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank != 3)
            throw new ArgumentException($"NextToken: logits must be (B, T, V), got {logits.Shape}.");
        int batch = logits.Shape[0], length = logits.Shape[1];
        if (ids.Length != batch * length || lossMask.Length != batch * length)
            throw new ArgumentException($"NextToken: {ids.Length} ids and {lossMask.Length} mask values for logits {logits.Shape}.");
        var (targets, weights) = Shift(ids, lossMask, batch, length);
        return tape.WeightedCrossEntropy(logits, targets, weights, reduction);
    }

    /// <summary>
    /// <see cref="NextToken"/> from the final hidden states, without materialising the (B, T, V) logits: the lm_head
    /// product, softmax and gradient are computed a chunk of rows at a time and positions of mask 0 are skipped
    /// (<see cref="Tape.LinearCrossEntropy"/>). Same value and gradients as <c>NextToken(lmHead.Forward(hidden))</c>;
    /// at T = 512 with Qwen2.5's 151,936-token vocabulary it saves about 0.6 GB. A head with a bias or an adapter, or
    /// whose weight trains, takes the materialised path.
    /// </summary>
    /// <param name="tape">The tape that produced <paramref name="hidden"/>.</param>
    /// <param name="hidden">(B, T, hidden) from <see cref="TransformerModel.ForwardHidden"/>.</param>
    /// <param name="lmHead">The model's <see cref="TransformerModel.LmHead"/>.</param>
    /// <param name="ids">The same ids, (B·T).</param>
    /// <param name="lossMask">Weight of each token as a target, (B·T); the first token of a row is never a target.</param>
    /// <param name="reduction">Mean over Σ mask (0 when the mask is all zero) or plain sum.</param>
    public static Tensor NextTokenFromHidden(Tape tape, Tensor hidden, LinearLayer lmHead, ReadOnlySpan<int> ids, ReadOnlySpan<float> lossMask,
        LossReduction reduction = LossReduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(lmHead);
        if (lmHead.Bias is not null || lmHead.Extension is not null)
            return NextToken(tape, lmHead.Forward(tape, hidden), ids, lossMask, reduction);
        if (hidden.Rank != 3)
            throw new ArgumentException($"NextTokenFromHidden: hidden must be (B, T, hidden), got {hidden.Shape}.");
        int batch = hidden.Shape[0], length = hidden.Shape[1];
        if (ids.Length != batch * length || lossMask.Length != batch * length)
            throw new ArgumentException($"NextTokenFromHidden: {ids.Length} ids and {lossMask.Length} mask values for hidden {hidden.Shape}.");
        var (targets, weights) = Shift(ids, lossMask, batch, length);
        return tape.LinearCrossEntropy(hidden, lmHead.Weight, targets, weights, reduction);
    }

    /// <summary>Row t of each sequence predicts token t+1: targets and weights shifted left, the last position weight 0.</summary>
    private static (int[] Targets, float[] Weights) Shift(ReadOnlySpan<int> ids, ReadOnlySpan<float> lossMask, int batch, int length)
    {
        // Targets and weights must outlive the backward pass, so they are fresh arrays, not spans of the caller's.
        var targets = new int[batch * length];
        var weights = new float[batch * length];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t + 1 < length; t++)
            {
                int r = b * length + t;
                targets[r] = ids[r + 1];
                weights[r] = lossMask[r + 1];
            }
        return (targets, weights);
    }

    /// <summary>
    /// log p(ids[b, t+1] | ids[b, ≤t]) at every position → (B, T), differentiable: the per-token log-probabilities
    /// that GRPO/PPO ratios and DPO sums are built from. Position T−1 of each row has no next token; its entry is
    /// the log-probability of token 0 and must be masked out.
    /// </summary>
    /// <param name="tape">The tape that produced <paramref name="logits"/>.</param>
    /// <param name="logits">(B, T, V).</param>
    /// <param name="ids">The same ids, (B·T).</param>
    public static Tensor NextTokenLogProbs(Tape tape, Tensor logits, ReadOnlySpan<int> ids)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank != 3 || ids.Length != logits.Shape[0] * logits.Shape[1])
            throw new ArgumentException($"NextTokenLogProbs: {ids.Length} ids for logits {logits.Shape}; need (B, T, V) and B·T ids.");
        int batch = logits.Shape[0], length = logits.Shape[1];
        var targets = new int[batch * length];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t + 1 < length; t++)
                targets[b * length + t] = ids[b * length + t + 1];
        return tape.TokenLogProbs(logits, targets);
    }
}
