using System.Numerics.Tensors;

namespace Whetstone.Tensors.Kernels;

/// <summary>Mean of a whole span, or of each row of x: (rows, cols) into y: (rows).</summary>
public static class MeanKernel
{
    /// <summary>Returns Σ x / n (NaN for an empty span).</summary>
    public static float Forward(ReadOnlySpan<float> x) => TensorPrimitives.Sum(x) / x.Length;

    /// <summary>dx += dy / n.</summary>
    public static void Backward(float dy, Span<float> dx)
    {
        if (dx.IsEmpty) return;
        TensorPrimitives.Add(dx, dy / dx.Length, dx);
    }

    /// <summary>y[r] = Σ_c x[r, c] / cols.</summary>
    public static void ForwardRows(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        ShapeCheck.Rows(x.Length, rows, cols, nameof(x));
        ShapeCheck.Length(y.Length, rows, nameof(y));
        for (int r = 0; r < rows; r++) y[r] = TensorPrimitives.Sum(x.Slice(r * cols, cols)) / cols;
    }

    /// <summary>dx[r, :] += dy[r] / cols.</summary>
    public static void BackwardRows(ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols)
    {
        ShapeCheck.Rows(dx.Length, rows, cols, nameof(dx));
        ShapeCheck.Length(dy.Length, rows, nameof(dy));
        for (int r = 0; r < rows; r++)
        {
            var row = dx.Slice(r * cols, cols);
            TensorPrimitives.Add(row, dy[r] / cols, row);
        }
    }
}
