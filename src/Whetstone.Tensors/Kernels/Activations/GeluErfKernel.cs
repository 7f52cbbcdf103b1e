using Whetstone.Tensors.Kernels.Simd;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// GELU, exact erf form (HF <c>gelu</c>, PyTorch default): y = 0.5·x·(1 + erf(x/√2)). erf is the
/// Abramowitz–Stegun 7.1.26 approximation (absolute error &lt; 1.5e-7). x, y, dy, dx: same length; y may be x.
/// </summary>
public static class GeluErfKernel
{
    /// <summary>y = gelu(x).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        ShapeCheck.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        ParallelMap.Unary(new GeluErfOperator(), x, y, accumulate: false);
    }

    /// <summary>dx += dy·(Φ(x) + x·φ(x)).</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        ShapeCheck.SameLength(x.Length, dy.Length, nameof(x), nameof(dy));
        ShapeCheck.SameLength(x.Length, dx.Length, nameof(x), nameof(dx));
        ParallelMap.Binary(new GeluErfGradOperator(), x, dy, dx, accumulate: true);
    }
}
