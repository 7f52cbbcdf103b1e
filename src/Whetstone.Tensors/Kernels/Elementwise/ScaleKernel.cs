using System.Numerics.Tensors;

namespace Whetstone.Tensors.Kernels;

/// <summary>y = alpha · x, element-wise. y may be x.</summary>
public static class ScaleKernel
{
    /// <summary>y = alpha · x.</summary>
    public static void Forward(ReadOnlySpan<float> x, float alpha, Span<float> y)
    {
        ShapeCheck.SameLength(x.Length, y.Length, "x", "y");
        TensorPrimitives.Multiply(x, alpha, y);
    }

    /// <summary>dx += alpha · dy.</summary>
    public static void Backward(ReadOnlySpan<float> dy, float alpha, Span<float> dx)
    {
        ShapeCheck.SameLength(dy.Length, dx.Length, "dy", "dx");
        TensorPrimitives.MultiplyAdd(dy, alpha, dx, dx);
    }
}
