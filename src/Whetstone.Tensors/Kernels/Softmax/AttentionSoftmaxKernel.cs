using System.Numerics.Tensors;
using Whetstone.Tensors.Kernels.Simd;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Softmax of attention scores for one head: P = softmax(scale · S) over keys, with an optional causal mask.
/// scores, probs, dprobs, dscores: (rows = T_q, cols = T_k). With the causal mask, query i sits at absolute
/// position offset + i and sees keys 0..offset+i; during KV-cache decoding offset is the number of cached
/// tokens before this block of queries (T_k = offset + T_q). Masked probabilities are exactly 0.
/// </summary>
public static class AttentionSoftmaxKernel
{
    /// <summary>probs = softmax(scale · scores) row by row, masked entries 0. scale must be positive. probs may be scores.</summary>
    public static void Forward(ReadOnlySpan<float> scores, Span<float> probs, int rows, int cols, float scale, bool causal, int offset)
    {
        Check(scores.Length, probs.Length, rows, cols, scale, offset, nameof(scores), nameof(probs));
        for (int r = 0; r < rows; r++)
        {
            int visible = VisibleKeys(r, cols, causal, offset);
            var s = scores.Slice(r * cols, visible);
            var p = probs.Slice(r * cols, cols);
            float max = TensorPrimitives.Max(s);
            float sum = VectorDriver.MapSum(new ScaledExpOperator(scale, scale * max), s, p);
            TensorPrimitives.Multiply(p[..visible], 1f / sum, p[..visible]);
            p[visible..].Clear();
        }
    }

    /// <summary>
    /// dscores += scale · P ⊙ (dP − rowsum(dP ⊙ P)). Masked entries get nothing (their P is 0), and are skipped.
    /// Pass the same scale, causal and offset as the forward call.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> probs, ReadOnlySpan<float> dprobs, Span<float> dscores,
        int rows, int cols, float scale, bool causal, int offset)
    {
        Check(probs.Length, dscores.Length, rows, cols, scale, offset, nameof(probs), nameof(dscores));
        ShapeCheck.Rows(dprobs.Length, rows, cols, nameof(dprobs));
        for (int r = 0; r < rows; r++)
        {
            int visible = VisibleKeys(r, cols, causal, offset);
            var p = probs.Slice(r * cols, visible);
            var dp = dprobs.Slice(r * cols, visible);
            float dot = TensorPrimitives.Dot(dp, p);
            VectorDriver.MapAdd(new SoftmaxGradOperator(dot, scale), p, dp, dscores.Slice(r * cols, visible));
        }
    }

    internal static int VisibleKeys(int row, int cols, bool causal, int offset)
        => causal ? Math.Min(cols, offset + row + 1) : cols;

    private static void Check(int inLength, int outLength, int rows, int cols, float scale, int offset, string inName, string outName)
    {
        ShapeCheck.Rows(inLength, rows, cols, inName);
        ShapeCheck.Rows(outLength, rows, cols, outName);
        if (!(scale > 0f) || float.IsInfinity(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The softmax scale must be a positive finite number.");
        if (offset < 0)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "The causal offset (cached tokens) must not be negative.");
        if (cols == 0 && rows > 0)
            throw new ArgumentException("Softmax over zero columns is undefined.", nameof(cols));
    }
}
