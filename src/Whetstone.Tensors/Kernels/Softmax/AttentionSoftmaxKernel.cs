using System.Numerics.Tensors;
using Whetstone.Tensors.Kernels.Simd;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Softmax of attention scores for one head: P = softmax(scale · S) over keys, with an optional causal mask.
/// scores, probs, dprobs, dscores: (rows = T_q, cols = T_k). With the causal mask, query i sits at absolute
/// position offset + i and sees keys 0..offset+i; during KV-cache decoding offset is the number of cached
/// tokens before this block of queries (T_k = offset + T_q, or the cache capacity: later keys stay masked).
/// The overloads with <c>firstKey</c> also mask keys before it (left padding of a batched sequence). Masked
/// probabilities are exactly 0; a row with no visible key (a padding query) is all 0 and gets no gradient.
/// </summary>
public static class AttentionSoftmaxKernel
{
    /// <summary>probs = softmax(scale · scores) row by row, masked entries 0. scale must be positive. probs may be scores.</summary>
    public static void Forward(ReadOnlySpan<float> scores, Span<float> probs, int rows, int cols, float scale, bool causal, int offset)
        => Forward(scores, probs, rows, cols, scale, causal, offset, firstKey: 0);

    /// <summary>As the other overload, and keys 0..firstKey−1 (padding) are masked for every query.</summary>
    public static void Forward(ReadOnlySpan<float> scores, Span<float> probs, int rows, int cols, float scale, bool causal, int offset, int firstKey)
    {
        Check(scores.Length, probs.Length, rows, cols, scale, offset, firstKey, nameof(scores), nameof(probs));
        if (rows == 0) return;
        float max = RowMax.Compute(VisibleScores(scores, 0, cols, causal, offset, firstKey));
        for (int r = 0; r < rows; r++)
        {
            int end = VisibleKeys(r, cols, causal, offset);
            int start = Math.Min(firstKey, end);
            var s = scores.Slice(r * cols + start, end - start);
            var p = probs.Slice(r * cols, cols);
            var next = r + 1 < rows ? VisibleScores(scores, r + 1, cols, causal, offset, firstKey) : default;
            if (s.IsEmpty)
            {
                p.Clear();
                if (!next.IsEmpty) max = RowMax.Compute(next);
                continue;
            }
            float sum = VectorDriver.MapSum(new ScaledExpOperator(scale, scale * max), s, p[start..end]);
            // Normalise this row while the next row's max streams in (a max is exact in any order).
            max = RowMax.ScaleAndMaxOfNext(p[start..end], 1f / sum, next);
            p[..start].Clear();
            p[end..].Clear();
        }
    }

    /// <summary>
    /// dscores += scale · P ⊙ (dP − rowsum(dP ⊙ P)). Masked entries get nothing (their P is 0), and are skipped.
    /// Pass the same scale, causal and offset as the forward call.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> probs, ReadOnlySpan<float> dprobs, Span<float> dscores,
        int rows, int cols, float scale, bool causal, int offset)
        => Backward(probs, dprobs, dscores, rows, cols, scale, causal, offset, firstKey: 0);

    /// <summary>As the other overload, for a forward call that masked keys before <paramref name="firstKey"/>.</summary>
    public static void Backward(ReadOnlySpan<float> probs, ReadOnlySpan<float> dprobs, Span<float> dscores,
        int rows, int cols, float scale, bool causal, int offset, int firstKey)
    {
        Check(probs.Length, dscores.Length, rows, cols, scale, offset, firstKey, nameof(probs), nameof(dscores));
        ShapeCheck.Rows(dprobs.Length, rows, cols, nameof(dprobs));
        for (int r = 0; r < rows; r++)
        {
            int end = VisibleKeys(r, cols, causal, offset);
            int start = Math.Min(firstKey, end);
            var p = probs.Slice(r * cols + start, end - start);
            var dp = dprobs.Slice(r * cols + start, end - start);
            float dot = TensorPrimitives.Dot(dp, p);
            VectorDriver.MapAdd(new SoftmaxGradOperator(dot, scale), p, dp, dscores.Slice(r * cols + start, end - start));
        }
    }

    internal static int VisibleKeys(int row, int cols, bool causal, int offset)
        => causal ? Math.Min(cols, offset + row + 1) : cols;

    private static ReadOnlySpan<float> VisibleScores(ReadOnlySpan<float> scores, int row, int cols, bool causal, int offset, int firstKey)
    {
        int end = VisibleKeys(row, cols, causal, offset);
        int start = Math.Min(firstKey, end);
        return scores.Slice(row * cols + start, end - start);
    }

    private static void Check(int inLength, int outLength, int rows, int cols, float scale, int offset, int firstKey, string inName, string outName)
    {
        ShapeCheck.Rows(inLength, rows, cols, inName);
        ShapeCheck.Rows(outLength, rows, cols, outName);
        if (!(scale > 0f) || float.IsInfinity(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The softmax scale must be a positive finite number.");
        if (offset < 0)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "The causal offset (cached tokens) must not be negative.");
        if (firstKey < 0 || firstKey > cols)
            throw new ArgumentOutOfRangeException(nameof(firstKey), firstKey, $"firstKey (padding keys to mask) must be in [0, cols = {cols}].");
        if (cols == 0 && rows > 0)
            throw new ArgumentException("Softmax over zero columns is undefined.", nameof(cols));
    }
}
