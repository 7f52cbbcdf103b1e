using System.Numerics.Tensors;
using Whetstone.Tensors.Kernels.Simd;
using Whetstone.Tensors.Threading;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// RMSNorm in the Hugging Face (Llama/Qwen) convention: y = (x · rsqrt(mean(x²) + eps)) · w.
/// x, y, dy, dx: (rows, dim); weight, dweight: (dim); rstd: (rows), the saved 1/rms of each row.
/// Qwen3's per-head q/k norm is the same kernel with rows = T·heads and dim = head_dim.
/// </summary>
public static unsafe class RmsNormKernel
{
    /// <summary>Normalises each row and writes its 1/rms to <paramref name="rstd"/> for the backward pass. y may be x.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, Span<float> y, Span<float> rstd, int rows, int dim, float eps)
    {
        ShapeCheck.Rows(x.Length, rows, dim, nameof(x));
        ShapeCheck.Rows(y.Length, rows, dim, nameof(y));
        ShapeCheck.Length(weight.Length, dim, nameof(weight));
        ShapeCheck.Length(rstd.Length, rows, nameof(rstd));
        if (rows == 0) return;
        int chunks = KernelPartition.RowChunkCount(rows, 2L * x.Length * sizeof(float));
        if (chunks == 1) { ForwardRows(x, weight, y, rstd, 0, rows, dim, eps); return; }
        fixed (float* px = x, pw = weight, py = y, prs = rstd)
            ComputePool.For(chunks, new ForwardBody { X = px, W = pw, Y = py, Rstd = prs, Rows = rows, Dim = dim, Eps = eps, Chunks = chunks });
    }

    private static void ForwardRows(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, Span<float> y, Span<float> rstd, int r0, int r1, int dim, float eps)
    {
        float sumSquares = FusedRowOps.SumSquares(x.Slice(r0 * dim, dim));
        for (int r = r0; r < r1; r++)
        {
            var xr = x.Slice(r * dim, dim);
            var yr = y.Slice(r * dim, dim);
            float rs = 1f / MathF.Sqrt(sumSquares / dim + eps);
            rstd[r] = rs;
            // Write this row while the next one's Σx² streams in (see FusedRowOps).
            if (r + 1 < r1) sumSquares = FusedRowOps.RmsOutputAndNextSumSquares(xr, weight, rs, yr, x.Slice((r + 1) * dim, dim));
            else VectorDriver.Map(new RmsNormOutputOperator(rs), xr, weight, yr);
        }
    }

    private struct ForwardBody : IComputeLoopBody
    {
        public float* X, W, Y, Rstd;
        public int Rows, Dim, Chunks;
        public float Eps;

        public readonly void Invoke(int index)
        {
            int n = Rows * Dim;
            ForwardRows(new ReadOnlySpan<float>(X, n), new ReadOnlySpan<float>(W, Dim), new Span<float>(Y, n), new Span<float>(Rstd, Rows),
                KernelPartition.RowStart(index, Chunks, Rows), KernelPartition.RowStart(index + 1, Chunks, Rows), Dim, Eps);
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
        if (rows == 0) return;
        int chunks = KernelPartition.RowChunkCount(rows, (wantDx ? 4L : 2L) * x.Length * sizeof(float));
        if (chunks == 1) { BackwardRows(x, weight, rstd, dy, dx, dweight, 0, rows, dim, wantDx, wantDw); return; }
        // dweight is summed per chunk into partials, then added in chunk order: the same sums for any thread count.
        float[] partials = wantDw ? KernelPartition.Partials(chunks * dim) : [];
        fixed (float* px = x, pw = weight, prs = rstd, pdy = dy, pdx = dx, pp = partials)
            ComputePool.For(chunks, new BackwardBody
            {
                X = px, W = pw, Rstd = prs, Dy = pdy, Dx = pdx, Partials = pp,
                Rows = rows, Dim = dim, Chunks = chunks, WantDx = wantDx, WantDw = wantDw,
            });
        if (wantDw)
            for (int c = 0; c < chunks; c++)
                TensorPrimitives.Add(dweight, partials.AsSpan(c * dim, dim), dweight);
    }

    private static void BackwardRows(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> rstd, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dweight, int r0, int r1, int dim, bool wantDx, bool wantDw)
    {
        // Σ dy·w·x of each row feeds dx; it is summed for row r+1 during row r's element pass (FusedRowOps).
        var dots = wantDx ? FusedRowOps.Dot2And3(dy.Slice(r0 * dim, dim), weight, x.Slice(r0 * dim, dim)) : default;
        for (int r = r0; r < r1; r++)
        {
            var xr = x.Slice(r * dim, dim);
            var dyr = dy.Slice(r * dim, dim);
            float rs = rstd[r];
            float c = rs * rs * rs * dots.Dot3 / dim;
            bool pipeline = wantDx && r + 1 < r1;
            dots = FusedRowOps.NormBackwardRow(dyr, weight, xr, rs, c, 0f, rs, 0f,
                wantDx ? dx.Slice(r * dim, dim) : default, wantDw ? dweight : default, default,
                pipeline ? dy.Slice((r + 1) * dim, dim) : default, pipeline ? x.Slice((r + 1) * dim, dim) : default);
        }
    }

    private struct BackwardBody : IComputeLoopBody
    {
        public float* X, W, Rstd, Dy, Dx, Partials;
        public int Rows, Dim, Chunks;
        public bool WantDx, WantDw;

        public readonly void Invoke(int index)
        {
            int n = Rows * Dim;
            Span<float> dweight = default;
            if (WantDw)
            {
                dweight = new Span<float>(Partials + (nint)index * Dim, Dim);
                dweight.Clear();
            }
            BackwardRows(new ReadOnlySpan<float>(X, n), new ReadOnlySpan<float>(W, Dim), new ReadOnlySpan<float>(Rstd, Rows),
                new ReadOnlySpan<float>(Dy, n), WantDx ? new Span<float>(Dx, n) : default, dweight,
                KernelPartition.RowStart(index, Chunks, Rows), KernelPartition.RowStart(index + 1, Chunks, Rows), Dim, WantDx, WantDw);
        }
    }
}
