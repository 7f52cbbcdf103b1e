namespace Whetstone.Tensors.Kernels;

/// <summary>Plain-loop reference for <see cref="LayerNormKernel"/>; sums in double.</summary>
internal static class LayerNormReference
{
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        Span<float> mean, Span<float> rstd, int rows, int dim, float eps)
    {
        for (int r = 0; r < rows; r++)
        {
            double s = 0;
            for (int c = 0; c < dim; c++) s += x[r * dim + c];
            double m = s / dim;
            double v = 0;
            for (int c = 0; c < dim; c++) v += (x[r * dim + c] - m) * (x[r * dim + c] - m);
            double rs = 1.0 / Math.Sqrt(v / dim + eps);
            mean[r] = (float)m;
            rstd[r] = (float)rs;
            for (int c = 0; c < dim; c++) y[r * dim + c] = (float)((x[r * dim + c] - m) * rs * weight[c] + bias[c]);
        }
    }

    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dweight, Span<float> dbias, int rows, int dim)
    {
        for (int r = 0; r < rows; r++)
        {
            double m = mean[r], rs = rstd[r];
            double sumG = 0, sumGXhat = 0;
            for (int c = 0; c < dim; c++)
            {
                double g = (double)dy[r * dim + c] * weight[c];
                double xhat = (x[r * dim + c] - m) * rs;
                sumG += g;
                sumGXhat += g * xhat;
            }
            for (int c = 0; c < dim; c++)
            {
                double g = (double)dy[r * dim + c] * weight[c];
                double xhat = (x[r * dim + c] - m) * rs;
                if (!dx.IsEmpty) dx[r * dim + c] += (float)(rs * (g - sumG / dim - xhat * sumGXhat / dim));
                if (!dweight.IsEmpty) dweight[c] += (float)(dy[r * dim + c] * xhat);
                if (!dbias.IsEmpty) dbias[c] += dy[r * dim + c];
            }
        }
    }
}
