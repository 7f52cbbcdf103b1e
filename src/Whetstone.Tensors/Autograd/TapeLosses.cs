using Whetstone.Tensors.Kernels;

namespace Whetstone.Tensors.Autograd;

public sealed partial class Tape
{
    /// <summary>
    /// Fused log-softmax + negative log-likelihood → shape (1,). Rows whose target is <paramref name="ignoreIndex"/>
    /// (prompt, padding) carry no loss; <see cref="LossReduction.Mean"/> divides by the number of other rows
    /// (0 when every row is ignored).
    /// </summary>
    /// <param name="logits">(..., V); all leading dimensions are rows (tokens).</param>
    /// <param name="targets">One id per row, in [0, V) or the ignore index; must stay unchanged until backward has run.</param>
    /// <param name="ignoreIndex">Target value meaning "no loss here" (−100 as in PyTorch).</param>
    /// <param name="reduction">Mean over counted rows, or sum.</param>
    public Tensor CrossEntropy(Tensor logits, ReadOnlyMemory<int> targets, int ignoreIndex = CrossEntropyKernel.DefaultIgnoreIndex,
        LossReduction reduction = LossReduction.Mean)
    {
        int rows = RequireLogitRows(logits, targets.Length, nameof(CrossEntropy));
        int vocab = logits.Shape.Last;
        var lse = NewOutput(new Shape(rows));
        var sum = CrossEntropyKernel.Forward(logits.AsSpan(), targets.Span, lse.AsSpan(), rows, vocab, ignoreIndex);
        float scale = reduction == LossReduction.Sum ? 1f : sum.Count == 0 ? 0f : 1f / sum.Count;
        var y = NewOutput(new Shape(1));
        y[0] = (float)(sum.Loss * scale);
        if (ShouldRecord(logits))
            Record(new TapeEntry { Op = OpCode.CrossEntropy, Output = y, A = logits, Saved0 = lse, Ids = targets, F0 = scale, I0 = ignoreIndex });
        return y;
    }

    /// <summary>
    /// Cross-entropy with a weight per token → shape (1,): Σ wᵢ·(−log pᵢ[targetᵢ]), divided by Σ wᵢ for
    /// <see cref="LossReduction.Mean"/>. Masks (weight 0) and per-token advantages or importance weights use this.
    /// Every target must be a valid id; mask a row with weight 0 instead of an ignore index.
    /// </summary>
    /// <param name="logits">(..., V).</param>
    /// <param name="targets">One id per row in [0, V); must stay unchanged until backward has run.</param>
    /// <param name="weights">One weight per row (constants, no gradient); must stay unchanged until backward has run.</param>
    /// <param name="reduction">Weighted mean (divide by Σ w) or weighted sum.</param>
    public Tensor WeightedCrossEntropy(Tensor logits, ReadOnlyMemory<int> targets, ReadOnlyMemory<float> weights,
        LossReduction reduction = LossReduction.Mean)
    {
        int rows = RequireLogitRows(logits, targets.Length, nameof(WeightedCrossEntropy));
        if (weights.Length != rows)
            throw new ArgumentException($"WeightedCrossEntropy: {weights.Length} weights for {rows} rows of {logits.Describe()}.");
        int vocab = logits.Shape.Last;
        var logProbs = NewOutput(new Shape(rows));
        var lse = NewOutput(new Shape(rows));
        TokenLogProbKernel.Forward(logits.AsSpan(), targets.Span, logProbs.AsSpan(), lse.AsSpan(), rows, vocab);
        var w = weights.Span;
        var lp = logProbs.AsSpan();
        double loss = 0, weightSum = 0;
        for (int r = 0; r < rows; r++)
        {
            loss -= (double)w[r] * lp[r];
            weightSum += w[r];
        }
        float scale = reduction == LossReduction.Sum ? 1f : weightSum == 0 ? 0f : (float)(1.0 / weightSum);
        var y = NewOutput(new Shape(1));
        y[0] = (float)(loss * scale);
        if (ShouldRecord(logits))
            // logProbs' buffer is reused in backward for d loss / d logProb.
            Record(new TapeEntry { Op = OpCode.WeightedCrossEntropy, Output = y, A = logits, Saved0 = lse, Saved1 = logProbs, Ids = targets, Weights = weights, F0 = scale });
        return y;
    }

    /// <summary>
    /// Log-probability of each row's target id: log_softmax(logits)[target] → (...), e.g. (B, T, V) → (B, T).
    /// Policy-gradient losses (GRPO, PPO, DPO) are built from these.
    /// </summary>
    /// <param name="logits">(..., V).</param>
    /// <param name="targets">One valid id per row; must stay unchanged until backward has run.</param>
    public Tensor TokenLogProbs(Tensor logits, ReadOnlyMemory<int> targets)
    {
        int rows = RequireLogitRows(logits, targets.Length, nameof(TokenLogProbs));
        var lse = NewOutput(new Shape(rows));
        var y = NewOutput(logits.Shape.WithoutLast());
        TokenLogProbKernel.Forward(logits.AsSpan(), targets.Span, y.AsSpan(), lse.AsSpan(), rows, logits.Shape.Last);
        if (ShouldRecord(logits)) Record(new TapeEntry { Op = OpCode.TokenLogProbs, Output = y, A = logits, Saved0 = lse, Ids = targets });
        return y;
    }

    /// <summary>Entropy (nats) of each row's softmax distribution: (..., V) → (...). For logging or an entropy bonus.</summary>
    /// <param name="logits">(..., V).</param>
    public Tensor Entropy(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        int rows = logits.Shape.Rows;
        var lse = NewOutput(new Shape(rows));
        var y = NewOutput(logits.Shape.WithoutLast());
        EntropyKernel.Forward(logits.AsSpan(), y.AsSpan(), lse.AsSpan(), rows, logits.Shape.Last);
        if (ShouldRecord(logits)) Record(new TapeEntry { Op = OpCode.Entropy, Output = y, A = logits, Saved0 = lse });
        return y;
    }

    /// <summary>
    /// Backward of the loss family. Entry: A logits, Saved0 per-row logsumexp, Ids targets; CrossEntropy: F0 reduction
    /// scale, I0 ignore index; weighted: Saved1 scratch (rows), Weights, F0 scale.
    /// </summary>
    private void LossBackward(ref TapeEntry e)
    {
        if (!e.A!.RequiresGrad) return;
        var logits = e.A.AsSpan();
        int rows = e.A.Shape.Rows, vocab = e.A.Shape.Last;
        var dlogits = GradOf(e.A).AsSpan();
        var dy = e.Output.Grad!.AsSpan();
        switch (e.Op)
        {
            case OpCode.CrossEntropy:
                CrossEntropyKernel.Backward(logits, e.Ids.Span, e.Saved0!.AsSpan(), dlogits, rows, vocab, dy[0] * e.F0, e.I0);
                break;
            case OpCode.WeightedCrossEntropy:
            {
                var dLogProbs = e.Saved1!.AsSpan();
                var w = e.Weights.Span;
                float g = -dy[0] * e.F0;
                for (int r = 0; r < rows; r++) dLogProbs[r] = g * w[r];
                TokenLogProbKernel.Backward(logits, e.Ids.Span, e.Saved0!.AsSpan(), dLogProbs, dlogits, rows, vocab);
                break;
            }
            case OpCode.TokenLogProbs:
                TokenLogProbKernel.Backward(logits, e.Ids.Span, e.Saved0!.AsSpan(), dy, dlogits, rows, vocab);
                break;
            case OpCode.Entropy:
                EntropyKernel.Backward(logits, e.Saved0!.AsSpan(), e.Output.AsSpan(), dy, dlogits, rows, vocab);
                break;
        }
    }

    private static int RequireLogitRows(Tensor logits, int targets, string op)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Shape.Rows != targets)
            throw new ArgumentException($"{op}: {targets} targets for {logits.Shape.Rows} rows of {logits.Describe()}.");
        return logits.Shape.Rows;
    }
}
