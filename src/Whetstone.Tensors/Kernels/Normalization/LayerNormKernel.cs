using System.Numerics.Tensors;
using Whetstone.Tensors.Kernels.Simd;
using Whetstone.Tensors.Threading;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// LayerNorm: y = (x − mean) · rstd · w + b with rstd = 1/sqrt(var + eps) (biased variance, as PyTorch).
/// x, y, dy, dx: (rows, dim); weight, bias, dweight, dbias: (dim); mean, rstd: (rows), saved for backward.
/// </summary>
public static unsafe class LayerNormKernel
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
        int chunks = KernelPartition.RowChunkCount(rows, 2L * x.Length * sizeof(float));
        if (chunks == 1) { ForwardRows(x, weight, bias, y, mean, rstd, 0, rows, dim, eps); return; }
        fixed (float* px = x, pw = weight, pb = bias, py = y, pm = mean, prs = rstd)
            ComputePool.For(chunks, new ForwardBody { X = px, W = pw, B = pb, Y = py, Mean = pm, Rstd = prs, Rows = rows, Dim = dim, Eps = eps, Chunks = chunks });
    }

    private static void ForwardRows(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        Span<float> mean, Span<float> rstd, int r0, int r1, int dim, float eps)
    {
        float sum = FusedRowOps.Sum(x.Slice(r0 * dim, dim));
        for (int r = r0; r < r1; r++)
        {
            var xr = x.Slice(r * dim, dim);
            var yr = y.Slice(r * dim, dim);
            float m = sum / dim;
            // Two-pass variance avoids the cancellation of E[x²] − E[x]².
            float rs = 1f / MathF.Sqrt(VectorDriver.Sum(new SquaredDeviationOperator(m), xr) / dim + eps);
            mean[r] = m;
            rstd[r] = rs;
            // Write this row while the next row's Σx streams in (see FusedRowOps).
            if (r + 1 < r1) sum = FusedRowOps.LayerNormOutputAndNextSum(xr, weight, bias, m, rs, yr, x.Slice((r + 1) * dim, dim));
            else VectorDriver.Map(new LayerNormOutputOperator(m, rs), xr, weight, bias, yr);
        }
    }

    private struct ForwardBody : IComputeLoopBody
    {
        public float* X, W, B, Y, Mean, Rstd;
        public int Rows, Dim, Chunks;
        public float Eps;

        public readonly void Invoke(int index)
        {
            int n = Rows * Dim;
            ForwardRows(new ReadOnlySpan<float>(X, n), new ReadOnlySpan<float>(W, Dim), new ReadOnlySpan<float>(B, Dim), new Span<float>(Y, n),
                new Span<float>(Mean, Rows), new Span<float>(Rstd, Rows),
                KernelPartition.RowStart(index, Chunks, Rows), KernelPartition.RowStart(index + 1, Chunks, Rows), Dim, Eps);
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
        int chunks = KernelPartition.RowChunkCount(rows, (wantDx ? 4L : 2L) * x.Length * sizeof(float));
        if (chunks == 1) { BackwardRows(x, weight, mean, rstd, dy, dx, dweight, dbias, 0, rows, dim, wantDx, wantDw, wantDb); return; }
        // dweight and dbias are summed per chunk into partials (chunk c's dweight then dbias), then added in chunk
        // order: the same sums for any thread count.
        float[] partials = wantDw || wantDb ? KernelPartition.Partials(2 * chunks * dim) : [];
        fixed (float* px = x, pw = weight, pm = mean, prs = rstd, pdy = dy, pdx = dx, pp = partials)
            ComputePool.For(chunks, new BackwardBody
            {
                X = px, W = pw, Mean = pm, Rstd = prs, Dy = pdy, Dx = pdx, Partials = pp,
                Rows = rows, Dim = dim, Chunks = chunks, WantDx = wantDx, WantDw = wantDw, WantDb = wantDb,
            });
        for (int c = 0; c < chunks; c++)
        {
            if (wantDw) TensorPrimitives.Add(dweight, partials.AsSpan(2 * c * dim, dim), dweight);
            if (wantDb) TensorPrimitives.Add(dbias, partials.AsSpan((2 * c + 1) * dim, dim), dbias);
        }
    }

    private static void BackwardRows(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dweight, Span<float> dbias, int r0, int r1, int dim, bool wantDx, bool wantDw, bool wantDb)
    {
        // Σ dy·w and Σ dy·w·x of each row feed dx; they are summed for row r+1 during row r's element pass.
        var dots = wantDx ? FusedRowOps.Dot2And3(dy.Slice(r0 * dim, dim), weight, x.Slice(r0 * dim, dim)) : default;
        for (int r = r0; r < r1; r++)
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
            bool pipeline = wantDx && r + 1 < r1;
            dots = FusedRowOps.NormBackwardRow(dyr, weight, xr, rs, c, d, rs, -m * rs,
                wantDx ? dx.Slice(r * dim, dim) : default, wantDw ? dweight : default, wantDb ? dbias : default,
                pipeline ? dy.Slice((r + 1) * dim, dim) : default, pipeline ? x.Slice((r + 1) * dim, dim) : default);
        }
    }

    private struct BackwardBody : IComputeLoopBody
    {
        public float* X, W, Mean, Rstd, Dy, Dx, Partials;
        public int Rows, Dim, Chunks;
        public bool WantDx, WantDw, WantDb;

        public readonly void Invoke(int index)
        {
            int n = Rows * Dim;
            Span<float> dweight = default, dbias = default;
            if (WantDw) { dweight = new Span<float>(Partials + (nint)2 * index * Dim, Dim); dweight.Clear(); }
            if (WantDb) { dbias = new Span<float>(Partials + (nint)(2 * index + 1) * Dim, Dim); dbias.Clear(); }
            BackwardRows(new ReadOnlySpan<float>(X, n), new ReadOnlySpan<float>(W, Dim), new ReadOnlySpan<float>(Mean, Rows),
                new ReadOnlySpan<float>(Rstd, Rows), new ReadOnlySpan<float>(Dy, n), WantDx ? new Span<float>(Dx, n) : default, dweight, dbias,
                KernelPartition.RowStart(index, Chunks, Rows), KernelPartition.RowStart(index + 1, Chunks, Rows), Dim, WantDx, WantDw, WantDb);
        }
    }
}
