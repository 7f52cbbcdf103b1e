using Whetstone.Tensors.Kernels.Simd;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// GELU, tanh approximation (HF <c>gelu_pytorch_tanh</c> / <c>gelu_new</c>, PyTorch <c>approximate="tanh"</c>):
/// y = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). x, y, dy, dx: same length; y may be x.
/// </summary>
public static class GeluTanhKernel
{
    /// <summary>y = gelu_tanh(x).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        ShapeCheck.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        ParallelMap.Unary(new GeluTanhOperator(), x, y, accumulate: false);
    }

    /// <summary>dx += dy·gelu_tanh'(x).</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        ShapeCheck.SameLength(x.Length, dy.Length, nameof(x), nameof(dy));
        ShapeCheck.SameLength(x.Length, dx.Length, nameof(x), nameof(dx));
        ParallelMap.Binary(new GeluTanhGradOperator(), x, dy, dx, accumulate: true);
    }
}
