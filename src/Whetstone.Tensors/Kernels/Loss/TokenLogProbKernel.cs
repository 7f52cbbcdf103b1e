using Whetstone.Tensors.Kernels.Simd;

using Whetstone.Tensors.Threading;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Per-token log-probabilities of given ids, as policy-gradient methods (GRPO, PPO, DPO) need them:
/// logProbs[r] = log_softmax(logits[r, :])[targets[r]]. logits, dlogits: (rows, vocab); targets, logProbs,
/// dLogProbs, logSumExp: (rows). Every target must be a valid id (mask unwanted rows through dLogProbs = 0).
/// </summary>
public static unsafe class TokenLogProbKernel
{
    /// <summary>Writes logProbs and each row's logsumexp (saved for the backward pass).</summary>
    public static void Forward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> logProbs, Span<float> logSumExp, int rows, int vocab)
    {
        LogitRows.Check(logits.Length, targets.Length, rows, vocab);
        ShapeCheck.Length(logProbs.Length, rows, nameof(logProbs));
        ShapeCheck.Length(logSumExp.Length, rows, nameof(logSumExp));
        int chunks = KernelPartition.RowChunkCount(rows, (long)logits.Length * sizeof(float));
        if (chunks == 1) { ForwardRows(logits, targets, logProbs, logSumExp, 0, rows, vocab); return; }
        fixed (float* pl = logits, plp = logProbs, plse = logSumExp)
        fixed (int* pt = targets)
            ComputePool.For(chunks, new ForwardBody { Logits = pl, Targets = pt, LogProbs = plp, LogSumExp = plse, Rows = rows, Vocab = vocab, Chunks = chunks });
    }

    private static void ForwardRows(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> logProbs, Span<float> logSumExp, int r0, int r1, int vocab)
    {
        for (int r = r0; r < r1; r++)
        {
            LogitRows.Target(targets, r, vocab, int.MinValue, out int t);
            var row = logits.Slice(r * vocab, vocab);
            float lse = RowLogSumExp.Compute(row);
            logSumExp[r] = lse;
            logProbs[r] = row[t] - lse;
        }
    }

    private struct ForwardBody : IComputeLoopBody
    {
        public float* Logits, LogProbs, LogSumExp;
        public int* Targets;
        public int Rows, Vocab, Chunks;

        public readonly void Invoke(int index)
            => ForwardRows(new ReadOnlySpan<float>(Logits, Rows * Vocab), new ReadOnlySpan<int>(Targets, Rows), new Span<float>(LogProbs, Rows),
                new Span<float>(LogSumExp, Rows), KernelPartition.RowStart(index, Chunks, Rows), KernelPartition.RowStart(index + 1, Chunks, Rows), Vocab);
    }

    /// <summary>dlogits[r, :] += dLogProbs[r] · (onehot(targets[r]) − softmax(logits[r, :])); rows with dLogProbs[r] = 0 are skipped.</summary>
    public static void Backward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, ReadOnlySpan<float> logSumExp, ReadOnlySpan<float> dLogProbs,
        Span<float> dlogits, int rows, int vocab)
    {
        LogitRows.Check(logits.Length, targets.Length, rows, vocab);
        ShapeCheck.Length(logSumExp.Length, rows, nameof(logSumExp));
        ShapeCheck.Length(dLogProbs.Length, rows, nameof(dLogProbs));
        ShapeCheck.Rows(dlogits.Length, rows, vocab, nameof(dlogits));
        int chunks = KernelPartition.RowChunkCount(rows, 3L * logits.Length * sizeof(float));
        if (chunks == 1) { BackwardRows(logits, targets, logSumExp, dLogProbs, dlogits, 0, rows, vocab); return; }
        fixed (float* pl = logits, plse = logSumExp, pg = dLogProbs, pd = dlogits)
        fixed (int* pt = targets)
            ComputePool.For(chunks, new BackwardBody
            {
                Logits = pl, Targets = pt, LogSumExp = plse, DLogProbs = pg, DLogits = pd, Rows = rows, Vocab = vocab, Chunks = chunks,
            });
    }

    private static void BackwardRows(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, ReadOnlySpan<float> logSumExp, ReadOnlySpan<float> dLogProbs,
        Span<float> dlogits, int r0, int r1, int vocab)
    {
        for (int r = r0; r < r1; r++)
        {
            LogitRows.Target(targets, r, vocab, int.MinValue, out int t);
            float g = dLogProbs[r];
            if (g == 0f) continue;
            var drow = dlogits.Slice(r * vocab, vocab);
            VectorDriver.MapAdd(new ScaledSoftmaxOperator(logSumExp[r], -g), logits.Slice(r * vocab, vocab), drow);
            drow[t] += g;
        }
    }

    private struct BackwardBody : IComputeLoopBody
    {
        public float* Logits, LogSumExp, DLogProbs, DLogits;
        public int* Targets;
        public int Rows, Vocab, Chunks;

        public readonly void Invoke(int index)
        {
            int n = Rows * Vocab;
            BackwardRows(new ReadOnlySpan<float>(Logits, n), new ReadOnlySpan<int>(Targets, Rows), new ReadOnlySpan<float>(LogSumExp, Rows),
                new ReadOnlySpan<float>(DLogProbs, Rows), new Span<float>(DLogits, n),
                KernelPartition.RowStart(index, Chunks, Rows), KernelPartition.RowStart(index + 1, Chunks, Rows), Vocab);
        }
    }
}
