namespace Whetstone.Tensors.Kernels;

/// <summary>Plain-loop references for the element-wise and row-broadcast kernels (same signatures).</summary>
internal static class AddReference
{
    public static void Forward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = a[i] + b[i];
    }

    public static void Backward(ReadOnlySpan<float> dy, Span<float> da, Span<float> db)
    {
        for (int i = 0; i < da.Length; i++) da[i] += dy[i];
        for (int i = 0; i < db.Length; i++) db[i] += dy[i];
    }
}

internal static class SubReference
{
    public static void Forward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = a[i] - b[i];
    }

    public static void Backward(ReadOnlySpan<float> dy, Span<float> da, Span<float> db)
    {
        for (int i = 0; i < da.Length; i++) da[i] += dy[i];
        for (int i = 0; i < db.Length; i++) db[i] -= dy[i];
    }
}

internal static class MulReference
{
    public static void Forward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = a[i] * b[i];
    }

    public static void Backward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> dy, Span<float> da, Span<float> db)
    {
        for (int i = 0; i < da.Length; i++) da[i] += dy[i] * b[i];
        for (int i = 0; i < db.Length; i++) db[i] += dy[i] * a[i];
    }
}

internal static class ScaleReference
{
    public static void Forward(ReadOnlySpan<float> x, float alpha, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = alpha * x[i];
    }

    public static void Backward(ReadOnlySpan<float> dy, float alpha, Span<float> dx)
    {
        for (int i = 0; i < dx.Length; i++) dx[i] += alpha * dy[i];
    }
}

internal static class AddScaledReference
{
    public static void Forward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float alpha, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = a[i] + alpha * b[i];
    }

    public static void Backward(ReadOnlySpan<float> dy, float alpha, Span<float> da, Span<float> db)
    {
        for (int i = 0; i < da.Length; i++) da[i] += dy[i];
        for (int i = 0; i < db.Length; i++) db[i] += alpha * dy[i];
    }

    public static void Accumulate(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] += alpha * x[i];
    }
}

internal static class RowBroadcastAddReference
{
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                y[r * cols + c] = x[r * cols + c] + bias[c];
    }

    public static void Backward(ReadOnlySpan<float> dy, Span<float> dx, Span<float> dbias, int rows, int cols)
    {
        for (int i = 0; i < dx.Length; i++) dx[i] += dy[i];
        if (dbias.IsEmpty) return;
        for (int c = 0; c < cols; c++)
        {
            double s = 0;
            for (int r = 0; r < rows; r++) s += dy[r * cols + c];
            dbias[c] += (float)s;
        }
    }
}

internal static class RowBroadcastMulReference
{
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                y[r * cols + c] = x[r * cols + c] * w[c];
    }

    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy, Span<float> dx, Span<float> dw, int rows, int cols)
    {
        if (!dx.IsEmpty)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                    dx[r * cols + c] += dy[r * cols + c] * w[c];
        if (dw.IsEmpty) return;
        for (int c = 0; c < cols; c++)
        {
            double s = 0;
            for (int r = 0; r < rows; r++) s += (double)dy[r * cols + c] * x[r * cols + c];
            dw[c] += (float)s;
        }
    }
}
