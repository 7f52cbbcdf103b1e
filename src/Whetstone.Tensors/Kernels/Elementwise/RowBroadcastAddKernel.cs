using System.Numerics.Tensors;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Bias add: y[r, :] = x[r, :] + bias for x, y: (rows, cols) and bias: (cols). y may be x.
/// </summary>
public static class RowBroadcastAddKernel
{
    /// <summary>y = x + bias broadcast over rows.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, int rows, int cols)
    {
        ShapeCheck.Rows(x.Length, rows, cols, nameof(x));
        ShapeCheck.Rows(y.Length, rows, cols, nameof(y));
        ShapeCheck.Length(bias.Length, cols, nameof(bias));
        for (int r = 0; r < rows; r++)
            TensorPrimitives.Add(x.Slice(r * cols, cols), bias, y.Slice(r * cols, cols));
    }

    /// <summary>dx += dy; dbias += Σ_rows dy. Either gradient may be empty when it is not wanted.</summary>
    public static void Backward(ReadOnlySpan<float> dy, Span<float> dx, Span<float> dbias, int rows, int cols)
    {
        ShapeCheck.Rows(dy.Length, rows, cols, nameof(dy));
        if (ShapeCheck.Optional(dx.Length, dy.Length, nameof(dx))) TensorPrimitives.Add(dx, dy, dx);
        if (ShapeCheck.Optional(dbias.Length, cols, nameof(dbias)))
            for (int r = 0; r < rows; r++)
                TensorPrimitives.Add(dbias, dy.Slice(r * cols, cols), dbias);
    }
}
