using Whetstone.Tensors.Kernels.Simd;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Entropy of the softmax distribution of each row: H[r] = −Σ p·log p with p = softmax(logits[r, :]) (nats).
/// logits, dlogits: (rows, vocab); entropy, dEntropy, logSumExp: (rows). GRPO logs it; an entropy bonus trains on it.
/// </summary>
public static class EntropyKernel
{
    /// <summary>Writes entropy and each row's logsumexp (saved for the backward pass).</summary>
    public static void Forward(ReadOnlySpan<float> logits, Span<float> entropy, Span<float> logSumExp, int rows, int vocab)
    {
        if (vocab <= 0) throw new ArgumentOutOfRangeException(nameof(vocab), vocab, "The vocabulary size must be positive.");
        ShapeCheck.Rows(logits.Length, rows, vocab, nameof(logits));
        ShapeCheck.Length(entropy.Length, rows, nameof(entropy));
        ShapeCheck.Length(logSumExp.Length, rows, nameof(logSumExp));
        for (int r = 0; r < rows; r++)
        {
            var row = logits.Slice(r * vocab, vocab);
            float lse = RowLogSumExp.Compute(row);
            logSumExp[r] = lse;
            entropy[r] = VectorDriver.Sum(new EntropyTermOperator(lse), row);
        }
    }

    /// <summary>dlogits[r, j] += −dEntropy[r] · p_j · (log p_j + H[r]); rows with dEntropy[r] = 0 are skipped.</summary>
    public static void Backward(ReadOnlySpan<float> logits, ReadOnlySpan<float> logSumExp, ReadOnlySpan<float> entropy, ReadOnlySpan<float> dEntropy,
        Span<float> dlogits, int rows, int vocab)
    {
        ShapeCheck.Rows(logits.Length, rows, vocab, nameof(logits));
        ShapeCheck.Rows(dlogits.Length, rows, vocab, nameof(dlogits));
        ShapeCheck.Length(logSumExp.Length, rows, nameof(logSumExp));
        ShapeCheck.Length(entropy.Length, rows, nameof(entropy));
        ShapeCheck.Length(dEntropy.Length, rows, nameof(dEntropy));
        for (int r = 0; r < rows; r++)
        {
            if (dEntropy[r] == 0f) continue;
            VectorDriver.MapAdd(new EntropyGradOperator(logSumExp[r], entropy[r], dEntropy[r]), logits.Slice(r * vocab, vocab), dlogits.Slice(r * vocab, vocab));
        }
    }
}
