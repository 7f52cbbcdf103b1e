using Whetstone.Tensors.Kernels.Simd;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Fused log-softmax + negative log-likelihood over rows of logits. logits, dlogits: (rows, vocab);
/// targets: (rows), with <c>ignoreIndex</c> (default −100, as PyTorch) marking rows that carry no loss
/// (prompt and padding tokens); logSumExp: (rows), saved by the forward pass for the backward pass.
/// Each row streams from memory once per pass (see <see cref="RowLogSumExp"/>), so a 150k vocabulary is fine.
/// </summary>
public static class CrossEntropyKernel
{
    /// <summary>The ignore index PyTorch and Hugging Face use for label positions without loss.</summary>
    public const int DefaultIgnoreIndex = -100;

    /// <summary>
    /// Returns Σ_rows (logsumexp(row) − row[target]) over non-ignored rows and their count; writes each row's
    /// logsumexp (0 for ignored rows). Throws if a target is neither in [0, vocab) nor the ignore index.
    /// </summary>
    public static CrossEntropySum Forward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> logSumExp,
        int rows, int vocab, int ignoreIndex = DefaultIgnoreIndex)
    {
        LogitRows.Check(logits.Length, targets.Length, rows, vocab);
        ShapeCheck.Length(logSumExp.Length, rows, nameof(logSumExp));
        double loss = 0;
        int count = 0;
        for (int r = 0; r < rows; r++)
        {
            if (!LogitRows.Target(targets, r, vocab, ignoreIndex, out int t)) { logSumExp[r] = 0f; continue; }
            var row = logits.Slice(r * vocab, vocab);
            float lse = RowLogSumExp.Compute(row);
            logSumExp[r] = lse;
            loss += (double)lse - row[t];
            count++;
        }
        return new CrossEntropySum(loss, count);
    }

    /// <summary>
    /// dlogits[r, :] += scale · (softmax(logits[r, :]) − onehot(target[r])) for non-ignored rows; ignored rows get
    /// nothing. For a mean loss pass scale = dLoss / Count.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, ReadOnlySpan<float> logSumExp, Span<float> dlogits,
        int rows, int vocab, float scale, int ignoreIndex = DefaultIgnoreIndex)
    {
        LogitRows.Check(logits.Length, targets.Length, rows, vocab);
        ShapeCheck.Length(logSumExp.Length, rows, nameof(logSumExp));
        ShapeCheck.Rows(dlogits.Length, rows, vocab, nameof(dlogits));
        for (int r = 0; r < rows; r++)
        {
            if (!LogitRows.Target(targets, r, vocab, ignoreIndex, out int t)) continue;
            var drow = dlogits.Slice(r * vocab, vocab);
            VectorDriver.MapAdd(new ScaledSoftmaxOperator(logSumExp[r], scale), logits.Slice(r * vocab, vocab), drow);
            drow[t] -= scale;
        }
    }
}
