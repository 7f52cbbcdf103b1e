using Whetstone.Tensors.Kernels.Simd;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Per-token log-probabilities of given ids, as policy-gradient methods (GRPO, PPO, DPO) need them:
/// logProbs[r] = log_softmax(logits[r, :])[targets[r]]. logits, dlogits: (rows, vocab); targets, logProbs,
/// dLogProbs, logSumExp: (rows). Every target must be a valid id (mask unwanted rows through dLogProbs = 0).
/// </summary>
public static class TokenLogProbKernel
{
    /// <summary>Writes logProbs and each row's logsumexp (saved for the backward pass).</summary>
    public static void Forward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> logProbs, Span<float> logSumExp, int rows, int vocab)
    {
        LogitRows.Check(logits.Length, targets.Length, rows, vocab);
        ShapeCheck.Length(logProbs.Length, rows, nameof(logProbs));
        ShapeCheck.Length(logSumExp.Length, rows, nameof(logSumExp));
        for (int r = 0; r < rows; r++)
        {
            LogitRows.Target(targets, r, vocab, int.MinValue, out int t);
            var row = logits.Slice(r * vocab, vocab);
            float lse = RowLogSumExp.Compute(row);
            logSumExp[r] = lse;
            logProbs[r] = row[t] - lse;
        }
    }

    /// <summary>dlogits[r, :] += dLogProbs[r] · (onehot(targets[r]) − softmax(logits[r, :])); rows with dLogProbs[r] = 0 are skipped.</summary>
    public static void Backward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, ReadOnlySpan<float> logSumExp, ReadOnlySpan<float> dLogProbs,
        Span<float> dlogits, int rows, int vocab)
    {
        LogitRows.Check(logits.Length, targets.Length, rows, vocab);
        ShapeCheck.Length(logSumExp.Length, rows, nameof(logSumExp));
        ShapeCheck.Length(dLogProbs.Length, rows, nameof(dLogProbs));
        ShapeCheck.Rows(dlogits.Length, rows, vocab, nameof(dlogits));
        for (int r = 0; r < rows; r++)
        {
            LogitRows.Target(targets, r, vocab, int.MinValue, out int t);
            float g = dLogProbs[r];
            if (g == 0f) continue;
            var drow = dlogits.Slice(r * vocab, vocab);
            VectorDriver.MapAdd(new ScaledSoftmaxOperator(logSumExp[r], -g), logits.Slice(r * vocab, vocab), drow);
            drow[t] += g;
        }
    }
}
