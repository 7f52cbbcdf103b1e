namespace Whetstone.Tensors.Kernels;

/// <summary>Plain-loop reference for <see cref="SumKernel"/>; sums in double.</summary>
internal static class SumReference
{
    public static float Forward(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (float v in x) s += v;
        return (float)s;
    }

    public static void Backward(float dy, Span<float> dx)
    {
        for (int i = 0; i < dx.Length; i++) dx[i] += dy;
    }

    public static void ForwardRows(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        for (int r = 0; r < rows; r++) y[r] = Forward(x.Slice(r * cols, cols));
    }

    public static void BackwardRows(ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) dx[r * cols + c] += dy[r];
    }
}

/// <summary>Plain-loop reference for <see cref="MeanKernel"/>; sums in double.</summary>
internal static class MeanReference
{
    public static float Forward(ReadOnlySpan<float> x) => (float)((double)SumReference.Forward(x) / x.Length);

    public static void Backward(float dy, Span<float> dx)
    {
        for (int i = 0; i < dx.Length; i++) dx[i] += dy / dx.Length;
    }

    public static void ForwardRows(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        for (int r = 0; r < rows; r++) y[r] = Forward(x.Slice(r * cols, cols));
    }

    public static void BackwardRows(ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) dx[r * cols + c] += dy[r] / cols;
    }
}
