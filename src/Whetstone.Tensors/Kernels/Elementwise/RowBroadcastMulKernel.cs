using System.Numerics.Tensors;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Per-column scale: y[r, :] = x[r, :] ⊙ w for x, y: (rows, cols) and w: (cols). y may be x.
/// </summary>
public static class RowBroadcastMulKernel
{
    /// <summary>y = x ⊙ w broadcast over rows.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y, int rows, int cols)
    {
        ShapeCheck.Rows(x.Length, rows, cols, nameof(x));
        ShapeCheck.Rows(y.Length, rows, cols, nameof(y));
        ShapeCheck.Length(w.Length, cols, nameof(w));
        for (int r = 0; r < rows; r++)
            TensorPrimitives.Multiply(x.Slice(r * cols, cols), w, y.Slice(r * cols, cols));
    }

    /// <summary>dx += dy ⊙ w; dw += Σ_rows dy ⊙ x. Either gradient may be empty when it is not wanted.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy, Span<float> dx, Span<float> dw, int rows, int cols)
    {
        ShapeCheck.Rows(x.Length, rows, cols, nameof(x));
        ShapeCheck.Rows(dy.Length, rows, cols, nameof(dy));
        ShapeCheck.Length(w.Length, cols, nameof(w));
        bool wantDx = ShapeCheck.Optional(dx.Length, dy.Length, nameof(dx));
        bool wantDw = ShapeCheck.Optional(dw.Length, cols, nameof(dw));
        for (int r = 0; r < rows; r++)
        {
            var dyRow = dy.Slice(r * cols, cols);
            if (wantDx) TensorPrimitives.MultiplyAdd(dyRow, w, dx.Slice(r * cols, cols), dx.Slice(r * cols, cols));
            if (wantDw) TensorPrimitives.MultiplyAdd(dyRow, x.Slice(r * cols, cols), dw, dw);
        }
    }
}
