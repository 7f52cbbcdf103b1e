using Whetstone.Tensors.Kernels.Simd;

using Whetstone.Tensors.Threading;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Fused log-softmax + negative log-likelihood over rows of logits. logits, dlogits: (rows, vocab);
/// targets: (rows), with <c>ignoreIndex</c> (default −100, as PyTorch) marking rows that carry no loss
/// (prompt and padding tokens); logSumExp: (rows), saved by the forward pass for the backward pass.
/// Each row streams from memory once per pass (see <see cref="RowLogSumExp"/>), so a 150k vocabulary is fine.
/// </summary>
public static unsafe class CrossEntropyKernel
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
        int chunks = KernelPartition.RowChunkCount(rows, (long)logits.Length * sizeof(float));
        if (chunks == 1) return ForwardRows(logits, targets, logSumExp, 0, rows, vocab, ignoreIndex);
        // Each chunk's loss and count land in its own slot, then are added in chunk order: the same sum for any thread count.
        double* losses = stackalloc double[chunks];
        int* counts = stackalloc int[chunks];
        fixed (float* pl = logits, plse = logSumExp)
        fixed (int* pt = targets)
            ComputePool.For(chunks, new ForwardBody
            {
                Logits = pl, Targets = pt, LogSumExp = plse, Losses = losses, Counts = counts,
                Rows = rows, Vocab = vocab, IgnoreIndex = ignoreIndex, Chunks = chunks,
            });
        double loss = 0;
        int count = 0;
        for (int c = 0; c < chunks; c++)
        {
            loss += losses[c];
            count += counts[c];
        }
        return new CrossEntropySum(loss, count);
    }

    private static CrossEntropySum ForwardRows(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> logSumExp,
        int r0, int r1, int vocab, int ignoreIndex)
    {
        double loss = 0;
        int count = 0;
        for (int r = r0; r < r1; r++)
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

    private struct ForwardBody : IComputeLoopBody
    {
        public float* Logits, LogSumExp;
        public int* Targets, Counts;
        public double* Losses;
        public int Rows, Vocab, IgnoreIndex, Chunks;

        public readonly void Invoke(int index)
        {
            var sum = ForwardRows(new ReadOnlySpan<float>(Logits, Rows * Vocab), new ReadOnlySpan<int>(Targets, Rows), new Span<float>(LogSumExp, Rows),
                KernelPartition.RowStart(index, Chunks, Rows), KernelPartition.RowStart(index + 1, Chunks, Rows), Vocab, IgnoreIndex);
            Losses[index] = sum.Loss;
            Counts[index] = sum.Count;
        }
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
        int chunks = KernelPartition.RowChunkCount(rows, 3L * logits.Length * sizeof(float));
        if (chunks == 1) { BackwardRows(logits, targets, logSumExp, dlogits, 0, rows, vocab, scale, ignoreIndex); return; }
        fixed (float* pl = logits, plse = logSumExp, pd = dlogits)
        fixed (int* pt = targets)
            ComputePool.For(chunks, new BackwardBody
            {
                Logits = pl, Targets = pt, LogSumExp = plse, DLogits = pd,
                Rows = rows, Vocab = vocab, Scale = scale, IgnoreIndex = ignoreIndex, Chunks = chunks,
            });
    }

    private static void BackwardRows(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, ReadOnlySpan<float> logSumExp, Span<float> dlogits,
        int r0, int r1, int vocab, float scale, int ignoreIndex)
    {
        for (int r = r0; r < r1; r++)
        {
            if (!LogitRows.Target(targets, r, vocab, ignoreIndex, out int t)) continue;
            var drow = dlogits.Slice(r * vocab, vocab);
            VectorDriver.MapAdd(new ScaledSoftmaxOperator(logSumExp[r], scale), logits.Slice(r * vocab, vocab), drow);
            drow[t] -= scale;
        }
    }

    private struct BackwardBody : IComputeLoopBody
    {
        public float* Logits, LogSumExp, DLogits;
        public int* Targets;
        public int Rows, Vocab, IgnoreIndex, Chunks;
        public float Scale;

        public readonly void Invoke(int index)
        {
            int n = Rows * Vocab;
            BackwardRows(new ReadOnlySpan<float>(Logits, n), new ReadOnlySpan<int>(Targets, Rows), new ReadOnlySpan<float>(LogSumExp, Rows),
                new Span<float>(DLogits, n), KernelPartition.RowStart(index, Chunks, Rows), KernelPartition.RowStart(index + 1, Chunks, Rows),
                Vocab, Scale, IgnoreIndex);
        }
    }
}
