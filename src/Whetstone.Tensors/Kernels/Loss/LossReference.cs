namespace Whetstone.Tensors.Kernels;

/// <summary>Two-pass double-precision logsumexp shared by the loss references.</summary>
internal static class LogSumExpReference
{
    public static double Row(ReadOnlySpan<float> row)
    {
        double max = double.NegativeInfinity;
        foreach (float v in row) max = Math.Max(max, v);
        double sum = 0;
        foreach (float v in row) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }
}

/// <summary>Plain-loop reference for <see cref="CrossEntropyKernel"/>.</summary>
internal static class CrossEntropyReference
{
    public static CrossEntropySum Forward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> logSumExp,
        int rows, int vocab, int ignoreIndex = CrossEntropyKernel.DefaultIgnoreIndex)
    {
        double loss = 0;
        int count = 0;
        for (int r = 0; r < rows; r++)
        {
            if (!LogitRows.Target(targets, r, vocab, ignoreIndex, out int t)) { logSumExp[r] = 0f; continue; }
            double lse = LogSumExpReference.Row(logits.Slice(r * vocab, vocab));
            logSumExp[r] = (float)lse;
            loss += lse - logits[r * vocab + t];
            count++;
        }
        return new CrossEntropySum(loss, count);
    }

    public static void Backward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, ReadOnlySpan<float> logSumExp, Span<float> dlogits,
        int rows, int vocab, float scale, int ignoreIndex = CrossEntropyKernel.DefaultIgnoreIndex)
    {
        for (int r = 0; r < rows; r++)
        {
            if (!LogitRows.Target(targets, r, vocab, ignoreIndex, out int t)) continue;
            for (int j = 0; j < vocab; j++)
            {
                double p = Math.Exp(logits[r * vocab + j] - (double)logSumExp[r]);
                dlogits[r * vocab + j] += (float)(scale * (p - (j == t ? 1 : 0)));
            }
        }
    }
}

/// <summary>Plain-loop reference for <see cref="TokenLogProbKernel"/>.</summary>
internal static class TokenLogProbReference
{
    public static void Forward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> logProbs, Span<float> logSumExp, int rows, int vocab)
    {
        for (int r = 0; r < rows; r++)
        {
            LogitRows.Target(targets, r, vocab, int.MinValue, out int t);
            double lse = LogSumExpReference.Row(logits.Slice(r * vocab, vocab));
            logSumExp[r] = (float)lse;
            logProbs[r] = (float)(logits[r * vocab + t] - lse);
        }
    }

    public static void Backward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, ReadOnlySpan<float> logSumExp, ReadOnlySpan<float> dLogProbs,
        Span<float> dlogits, int rows, int vocab)
    {
        for (int r = 0; r < rows; r++)
        {
            LogitRows.Target(targets, r, vocab, int.MinValue, out int t);
            for (int j = 0; j < vocab; j++)
            {
                double p = Math.Exp(logits[r * vocab + j] - (double)logSumExp[r]);
                dlogits[r * vocab + j] += (float)(dLogProbs[r] * ((j == t ? 1 : 0) - p));
            }
        }
    }
}

/// <summary>Plain-loop reference for <see cref="EntropyKernel"/>.</summary>
internal static class EntropyReference
{
    public static void Forward(ReadOnlySpan<float> logits, Span<float> entropy, Span<float> logSumExp, int rows, int vocab)
    {
        for (int r = 0; r < rows; r++)
        {
            double lse = LogSumExpReference.Row(logits.Slice(r * vocab, vocab));
            double h = 0;
            for (int j = 0; j < vocab; j++)
            {
                double logp = logits[r * vocab + j] - lse;
                h -= Math.Exp(logp) * logp;
            }
            logSumExp[r] = (float)lse;
            entropy[r] = (float)h;
        }
    }

    public static void Backward(ReadOnlySpan<float> logits, ReadOnlySpan<float> logSumExp, ReadOnlySpan<float> entropy, ReadOnlySpan<float> dEntropy,
        Span<float> dlogits, int rows, int vocab)
    {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < vocab; j++)
            {
                double logp = logits[r * vocab + j] - (double)logSumExp[r];
                dlogits[r * vocab + j] += (float)(-dEntropy[r] * Math.Exp(logp) * (logp + entropy[r]));
            }
    }
}
