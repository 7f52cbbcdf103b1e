using Whetstone.Tensors.Kernels.Simd;

namespace Whetstone.Tensors.Kernels;

/// <summary>SiLU (swish): y = x·σ(x), element-wise. x, y, dy, dx: same length; y may be x.</summary>
public static class SiluKernel
{
    /// <summary>y = x·σ(x).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        ShapeCheck.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        ParallelMap.Unary(new SiluOperator(), x, y, accumulate: false);
    }

    /// <summary>dx += dy·σ(x)·(1 + x·(1 − σ(x))).</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        ShapeCheck.SameLength(x.Length, dy.Length, nameof(x), nameof(dy));
        ShapeCheck.SameLength(x.Length, dx.Length, nameof(x), nameof(dx));
        ParallelMap.Binary(new SiluGradOperator(), x, dy, dx, accumulate: true);
    }
}
