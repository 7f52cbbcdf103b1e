using System.Numerics.Tensors;
using Whetstone.Tensors.Kernels.Simd;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// LayerNorm: y = (x − mean) · rstd · w + b with rstd = 1/sqrt(var + eps) (biased variance, as PyTorch).
/// x, y, dy, dx: (rows, dim); weight, bias, dweight, dbias: (dim); mean, rstd: (rows), saved for backward.
/// </summary>
public static class LayerNormKernel
{
    /// <summary>Normalises each row; writes its mean and rstd for the backward pass. y may be x.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        Span<float> mean, Span<float> rstd, int rows, int dim, float eps)
    {
        ShapeCheck.Rows(x.Length, rows, dim, nameof(x));
        ShapeCheck.Rows(y.Length, rows, dim, nameof(y));
        ShapeCheck.Length(weight.Length, dim, nameof(weight));
        ShapeCheck.Length(bias.Length, dim, nameof(bias));
        ShapeCheck.Length(mean.Length, rows, nameof(mean));
        ShapeCheck.Length(rstd.Length, rows, nameof(rstd));
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * dim, dim);
            var yr = y.Slice(r * dim, dim);
            float m = TensorPrimitives.Sum(xr) / dim;
            // Two-pass variance (through y as scratch) avoids the cancellation of E[x²] − E[x]².
            TensorPrimitives.Subtract(xr, m, yr);
            float rs = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(yr) / dim + eps);
            mean[r] = m;
            rstd[r] = rs;
            TensorPrimitives.Multiply(yr, rs, yr);
            TensorPrimitives.FusedMultiplyAdd(yr, weight, bias, yr);
        }
    }

    /// <summary>
    /// With x̂ = (x − mean)·rstd and g = dy⊙w: dx += rstd·(g − mean(g) − x̂·mean(g⊙x̂)), dweight += Σ_rows dy⊙x̂,
    /// dbias += Σ_rows dy. Any of dx, dweight, dbias may be empty when that gradient is not wanted.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dweight, Span<float> dbias, int rows, int dim)
    {
        ShapeCheck.Rows(x.Length, rows, dim, nameof(x));
        ShapeCheck.Rows(dy.Length, rows, dim, nameof(dy));
        ShapeCheck.Length(weight.Length, dim, nameof(weight));
        ShapeCheck.Length(mean.Length, rows, nameof(mean));
        ShapeCheck.Length(rstd.Length, rows, nameof(rstd));
        bool wantDx = ShapeCheck.Optional(dx.Length, rows * dim, nameof(dx));
        bool wantDw = ShapeCheck.Optional(dweight.Length, dim, nameof(dweight));
        bool wantDb = ShapeCheck.Optional(dbias.Length, dim, nameof(dbias));
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * dim, dim);
            var dyr = dy.Slice(r * dim, dim);
            float m = mean[r], rs = rstd[r];
            if (wantDx)
            {
                float sumG = TensorPrimitives.Dot(dyr, weight);
                float sumGXhat = rs * (FusedRowOps.Dot3(dyr, weight, xr) - m * sumG);
                float a = sumG / dim, b = sumGXhat / dim;
                // dx_j += rs·g_j − rs·a − rs²·b·(x_j − m)  =  rs·dy_j·w_j − (rs²·b)·x_j + rs·(rs·b·m − a)
                FusedRowOps.NormDx(dyr, weight, xr, rs, rs * rs * b, rs * (rs * b * m - a), dx.Slice(r * dim, dim));
            }
            if (wantDw)
                FusedRowOps.AccumulateAffineProduct(dyr, xr, rs, -m * rs, dweight);
            if (wantDb)
                TensorPrimitives.Add(dbias, dyr, dbias);
        }
    }
}
