using System.Numerics.Tensors;
using Whetstone.Tensors.Kernels.Simd;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// RMSNorm in the Hugging Face (Llama/Qwen) convention: y = (x · rsqrt(mean(x²) + eps)) · w.
/// x, y, dy, dx: (rows, dim); weight, dweight: (dim); rstd: (rows), the saved 1/rms of each row.
/// Qwen3's per-head q/k norm is the same kernel with rows = T·heads and dim = head_dim.
/// </summary>
public static class RmsNormKernel
{
    /// <summary>Normalises each row and writes its 1/rms to <paramref name="rstd"/> for the backward pass. y may be x.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, Span<float> y, Span<float> rstd, int rows, int dim, float eps)
    {
        ShapeCheck.Rows(x.Length, rows, dim, nameof(x));
        ShapeCheck.Rows(y.Length, rows, dim, nameof(y));
        ShapeCheck.Length(weight.Length, dim, nameof(weight));
        ShapeCheck.Length(rstd.Length, rows, nameof(rstd));
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * dim, dim);
            var yr = y.Slice(r * dim, dim);
            float rs = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(xr) / dim + eps);
            rstd[r] = rs;
            TensorPrimitives.Multiply(xr, rs, yr);
            TensorPrimitives.Multiply(yr, weight, yr);
        }
    }

    /// <summary>
    /// dx += r·w⊙dy − x·r³·(Σ dy⊙w⊙x)/dim and dweight += Σ_rows dy⊙x·r, with r = rstd[row].
    /// dx or dweight may be empty when that gradient is not wanted (e.g. a frozen norm under LoRA).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> rstd, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dweight, int rows, int dim)
    {
        ShapeCheck.Rows(x.Length, rows, dim, nameof(x));
        ShapeCheck.Rows(dy.Length, rows, dim, nameof(dy));
        ShapeCheck.Length(weight.Length, dim, nameof(weight));
        ShapeCheck.Length(rstd.Length, rows, nameof(rstd));
        bool wantDx = ShapeCheck.Optional(dx.Length, rows * dim, nameof(dx));
        bool wantDw = ShapeCheck.Optional(dweight.Length, dim, nameof(dweight));
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * dim, dim);
            var dyr = dy.Slice(r * dim, dim);
            float rs = rstd[r];
            if (wantDx)
            {
                float dot = FusedRowOps.Dot3(dyr, weight, xr);
                FusedRowOps.NormDx(dyr, weight, xr, rs, rs * rs * rs * dot / dim, 0f, dx.Slice(r * dim, dim));
            }
            if (wantDw)
                FusedRowOps.AccumulateAffineProduct(dyr, xr, rs, 0f, dweight);
        }
    }
}
