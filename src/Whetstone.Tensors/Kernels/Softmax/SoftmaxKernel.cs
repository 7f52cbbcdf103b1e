using System.Numerics.Tensors;
using Whetstone.Tensors.Kernels.Simd;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Softmax over the last axis. x, y, dy, dx: (rows, cols). The output y is what the backward pass needs.
/// For attention scores (scale, causal mask, KV-cache offset) see <see cref="AttentionSoftmaxKernel"/>.
/// </summary>
public static class SoftmaxKernel
{
    /// <summary>y[r, :] = softmax(x[r, :]), max-subtracted. y may be x.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
        => AttentionSoftmaxKernel.Forward(x, y, rows, cols, 1f, causal: false, offset: 0);

    /// <summary>dx += y ⊙ (dy − rowsum(dy ⊙ y)).</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols)
        => AttentionSoftmaxKernel.Backward(y, dy, dx, rows, cols, 1f, causal: false, offset: 0);
}
