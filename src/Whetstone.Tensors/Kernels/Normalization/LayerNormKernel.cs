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
        if (rows == 0) return;
        float sum = FusedRowOps.Sum(x[..dim]);
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * dim, dim);
            var yr = y.Slice(r * dim, dim);
            float m = sum / dim;
            // Two-pass variance avoids the cancellation of E[x²] − E[x]².
            float rs = 1f / MathF.Sqrt(VectorDriver.Sum(new SquaredDeviationOperator(m), xr) / dim + eps);
            mean[r] = m;
            rstd[r] = rs;
            // Write this row while the next row's Σx streams in (see FusedRowOps).
            if (r + 1 < rows) sum = FusedRowOps.LayerNormOutputAndNextSum(xr, weight, bias, m, rs, yr, x.Slice((r + 1) * dim, dim));
            else VectorDriver.Map(new LayerNormOutputOperator(m, rs), xr, weight, bias, yr);
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
        if (rows == 0) return;
        // Σ dy·w and Σ dy·w·x of each row feed dx; they are summed for row r+1 during row r's element pass.
        var dots = wantDx ? FusedRowOps.Dot2And3(dy[..dim], weight, x[..dim]) : default;
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * dim, dim);
            var dyr = dy.Slice(r * dim, dim);
            float m = mean[r], rs = rstd[r];
            float c = 0f, d = 0f;
            if (wantDx)
            {
                var (sumG, sumGX) = dots;
                float a = sumG / dim, b = rs * (sumGX - m * sumG) / dim; // b = mean(g·x̂)
                // dx_j += rs·g_j − rs·a − rs²·b·(x_j − m)  =  rs·dy_j·w_j − (rs²·b)·x_j + rs·(rs·b·m − a)
                c = rs * rs * b;
                d = rs * (rs * b * m - a);
            }
            bool pipeline = wantDx && r + 1 < rows;
            dots = FusedRowOps.NormBackwardRow(dyr, weight, xr, rs, c, d, rs, -m * rs,
                wantDx ? dx.Slice(r * dim, dim) : default, wantDw ? dweight : default, wantDb ? dbias : default,
                pipeline ? dy.Slice((r + 1) * dim, dim) : default, pipeline ? x.Slice((r + 1) * dim, dim) : default);
        }
    }
}
