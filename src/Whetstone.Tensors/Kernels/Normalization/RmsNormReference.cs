namespace Whetstone.Tensors.Kernels;

/// <summary>Plain-loop reference for <see cref="RmsNormKernel"/>; sums in double.</summary>
internal static class RmsNormReference
{
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, Span<float> y, Span<float> rstd, int rows, int dim, float eps)
    {
        for (int r = 0; r < rows; r++)
        {
            double ss = 0;
            for (int c = 0; c < dim; c++) ss += (double)x[r * dim + c] * x[r * dim + c];
            float rs = (float)(1.0 / Math.Sqrt(ss / dim + eps));
            rstd[r] = rs;
            for (int c = 0; c < dim; c++) y[r * dim + c] = x[r * dim + c] * rs * weight[c];
        }
    }

    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> rstd, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dweight, int rows, int dim)
    {
        for (int r = 0; r < rows; r++)
        {
            double rs = rstd[r];
            double dot = 0;
            for (int c = 0; c < dim; c++) dot += (double)dy[r * dim + c] * weight[c] * x[r * dim + c];
            for (int c = 0; c < dim; c++)
            {
                if (!dx.IsEmpty) dx[r * dim + c] += (float)(rs * weight[c] * dy[r * dim + c] - x[r * dim + c] * rs * rs * rs * dot / dim);
                if (!dweight.IsEmpty) dweight[c] += (float)(dy[r * dim + c] * x[r * dim + c] * rs);
            }
        }
    }
}
