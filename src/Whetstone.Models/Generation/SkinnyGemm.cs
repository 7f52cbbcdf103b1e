using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Whetstone.Tensors.Threading;

namespace Whetstone.Models.Generation;

/// <summary>
/// y (m, n) = x (m, k) · Wᵀ with W (n, k) as stored, for the few rows of a decoding step (m ≤ <see cref="MaxRows"/>).
/// Decoding is bound by reading W, so each W row is loaded once and multiplied against every x row while it sits
/// in L1 (register blocks of 4 W rows × 4 x rows); x stays in L1/L2. The general GEMM packs W first, which for a
/// handful of rows costs more than the product.
/// </summary>
/// <remarks>
/// Every output is accumulated in one canonical order — one FMA accumulator (8 or 16 lanes, fixed per process) over k, a horizontal sum,
/// then the scalar tail — whichever block computes it. So a sequence's logits are bit-identical whether it is
/// decoded alone or in a batch, and for any thread count.
/// </remarks>
internal static unsafe class SkinnyGemm
{
    // 512-bit FMAs where the CPU runs them natively (Zen 5, recent Xeons); every output of a process uses the same
    // width, so the per-output order stays canonical.
    private static readonly bool Wide = Vector512.IsHardwareAccelerated && Sse.IsSupported;

    /// <summary>Largest m routed here.</summary>
    public const int MaxRows = 32;

    // Bytes of W per pool index: small enough to be re-read from L2 by every 4-row block of x, large enough that
    // the pool's per-index cost is noise.
    private const int ChunkBytes = 96 * 1024;

    /// <summary>y = x·Wᵀ, overwriting y. Row strides are k for x and W and n for y.</summary>
    public static void Multiply(float* x, int m, int k, float* w, int n, float* y) =>
        Multiply(x, m, k, new Target(w, n, y), default, default);

    /// <summary>
    /// Up to three products sharing the input x (q/k/v, or gate/up) in one pool loop: one dispatch instead of three,
    /// which matters when a decoding step is a few hundred microseconds. Unused targets have n = 0.
    /// </summary>
    public static void Multiply(float* x, int m, int k, Target t0, Target t1, Target t2)
    {
        int rowsPerChunk = Math.Clamp(ChunkBytes / (sizeof(float) * k) / 4 * 4, 4, 64);
        int c0 = Chunks(t0.N, rowsPerChunk), c1 = Chunks(t1.N, rowsPerChunk), c2 = Chunks(t2.N, rowsPerChunk);
        var body = new Body { X = x, M = m, K = k, T0 = t0, T1 = t1, T2 = t2, End0 = c0, End1 = c0 + c1, RowsPerChunk = rowsPerChunk };
        int chunks = c0 + c1 + c2;
        if (chunks > 1 && (long)(t0.N + t1.N + t2.N) * k >= 1 << 16)
            ComputePool.For(chunks, body);
        else
            for (int i = 0; i < chunks; i++) body.Invoke(i);
    }

    private static int Chunks(int n, int rowsPerChunk) => (n + rowsPerChunk - 1) / rowsPerChunk;

    /// <summary>One product's weights W (n, k) and output y (m, n).</summary>
    public readonly struct Target(float* w, int n, float* y)
    {
        /// <summary>W, (n, k).</summary>
        public readonly float* W = w;
        /// <summary>Output columns.</summary>
        public readonly int N = n;
        /// <summary>y, (m, n).</summary>
        public readonly float* Y = y;
    }

    private struct Body : IComputeLoopBody
    {
        public float* X;
        public int M, K, End0, End1, RowsPerChunk;
        public Target T0, T1, T2;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Invoke(int index)
        {
            if (index < End0) Run(T0, index);
            else if (index < End1) Run(T1, index - End0);
            else Run(T2, index - End1);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void Run(in Target t, int index)
        {
            int n = t.N, k = K;
            int j0 = index * RowsPerChunk, j1 = Math.Min(n, j0 + RowsPerChunk);
            float* W = t.W, Y = t.Y;
            // Rows of x outermost: a 4-row block of x stays in L1 while the chunk's W rows stream past, from memory
            // the first time and from L2 after (a chunk is about 96 KB).
            int rr = 0;
            for (; rr + 4 <= M; rr += 4)
            {
                float* x = X + (long)rr * k;
                int j = j0;
                for (; j + 4 <= j1; j += 4)
                    if (Wide) Block4x4512(W + (long)j * k, x, k, Y + (long)rr * n + j, n);
                    else Block4x4(W + (long)j * k, x, k, Y + (long)rr * n + j, n);
                for (; j < j1; j++)
                    for (int i = 0; i < 4; i++)
                        Y[(long)(rr + i) * n + j] = Wide ? Dot512(W + (long)j * k, x + (long)i * k, k) : Dot(W + (long)j * k, x + (long)i * k, k);
            }
            for (; rr < M; rr++)
            {
                float* x = X + (long)rr * k;
                int j = j0;
                for (; j + 4 <= j1; j += 4)
                    if (Wide) Block4x1512(W + (long)j * k, x, k, Y + (long)rr * n + j);
                    else Block4x1(W + (long)j * k, x, k, Y + (long)rr * n + j);
                for (; j < j1; j++)
                    Y[(long)rr * n + j] = Wide ? Dot512(W + (long)j * k, x, k) : Dot(W + (long)j * k, x, k);
            }
        }
    }

    private static float Finish(Vector256<float> acc, float* w, float* x, int from, int k)
    {
        float s = Vector256.Sum(acc);
        for (int p = from; p < k; p++) s = MathF.FusedMultiplyAdd(w[p], x[p], s);
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

    private static float Dot(float* w, float* x, int k)
    {
        var acc = Vector256<float>.Zero;
        int p = 0;
        for (; p + 8 <= k; p += 8) acc = Fma(Vector256.Load(w + p), Vector256.Load(x + p), acc);
        return Finish(acc, w, x, p, k);
    }

    /// <summary>Four W rows against one x row: y[0..3] = W[0..3]·x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4x1(float* w, float* x, int k, float* y)
    {
        float* w1 = w + k, w2 = w1 + k, w3 = w2 + k;
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        int p = 0;
        for (; p + 8 <= k; p += 8)
        {
            var xv = Vector256.Load(x + p);
            a0 = Fma(Vector256.Load(w + p), xv, a0);
            a1 = Fma(Vector256.Load(w1 + p), xv, a1);
            a2 = Fma(Vector256.Load(w2 + p), xv, a2);
            a3 = Fma(Vector256.Load(w3 + p), xv, a3);
        }
        y[0] = Finish(a0, w, x, p, k);
        y[1] = Finish(a1, w1, x, p, k);
        y[2] = Finish(a2, w2, x, p, k);
        y[3] = Finish(a3, w3, x, p, k);
    }

    /// <summary>Four W rows against four x rows: 16 accumulators, 8 loads per 16 FMAs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4x4(float* w, float* x, int k, float* y, int ldy)
    {
        float* w1 = w + k, w2 = w1 + k, w3 = w2 + k;
        float* x1 = x + k, x2 = x1 + k, x3 = x2 + k;
        Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector256<float> c30 = default, c31 = default, c32 = default, c33 = default;
        int p = 0;
        for (; p + 8 <= k; p += 8)
        {
            var v0 = Vector256.Load(w + p);
            var v1 = Vector256.Load(w1 + p);
            var v2 = Vector256.Load(w2 + p);
            var v3 = Vector256.Load(w3 + p);
            var u = Vector256.Load(x + p);
            c00 = Fma(v0, u, c00); c01 = Fma(v1, u, c01); c02 = Fma(v2, u, c02); c03 = Fma(v3, u, c03);
            u = Vector256.Load(x1 + p);
            c10 = Fma(v0, u, c10); c11 = Fma(v1, u, c11); c12 = Fma(v2, u, c12); c13 = Fma(v3, u, c13);
            u = Vector256.Load(x2 + p);
            c20 = Fma(v0, u, c20); c21 = Fma(v1, u, c21); c22 = Fma(v2, u, c22); c23 = Fma(v3, u, c23);
            u = Vector256.Load(x3 + p);
            c30 = Fma(v0, u, c30); c31 = Fma(v1, u, c31); c32 = Fma(v2, u, c32); c33 = Fma(v3, u, c33);
        }
        float* y1 = y + ldy, y2 = y1 + ldy, y3 = y2 + ldy;
        y[0] = Finish(c00, w, x, p, k); y[1] = Finish(c01, w1, x, p, k); y[2] = Finish(c02, w2, x, p, k); y[3] = Finish(c03, w3, x, p, k);
        y1[0] = Finish(c10, w, x1, p, k); y1[1] = Finish(c11, w1, x1, p, k); y1[2] = Finish(c12, w2, x1, p, k); y1[3] = Finish(c13, w3, x1, p, k);
        y2[0] = Finish(c20, w, x2, p, k); y2[1] = Finish(c21, w1, x2, p, k); y2[2] = Finish(c22, w2, x2, p, k); y2[3] = Finish(c23, w3, x2, p, k);
        y3[0] = Finish(c30, w, x3, p, k); y3[1] = Finish(c31, w1, x3, p, k); y3[2] = Finish(c32, w2, x3, p, k); y3[3] = Finish(c33, w3, x3, p, k);
    }
    private static float Finish512(Vector512<float> acc, float* w, float* x, int from, int k)
    {
        float s = Vector512.Sum(acc);
        for (int p = from; p < k; p++) s = MathF.FusedMultiplyAdd(w[p], x[p], s);
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma512(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    private static float Dot512(float* w, float* x, int k)
    {
        var acc = Vector512<float>.Zero;
        int p = 0;
        for (; p + 16 <= k; p += 16) acc = Fma512(Vector512.Load(w + p), Vector512.Load(x + p), acc);
        return Finish512(acc, w, x, p, k);
    }

    /// <summary>Vector512 form of <see cref="Block4x1"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4x1512(float* w, float* x, int k, float* y)
    {
        float* w1 = w + k, w2 = w1 + k, w3 = w2 + k;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        int p = 0;
        for (; p + 16 <= k; p += 16)
        {
            var xv = Vector512.Load(x + p);
            a0 = Fma512(Vector512.Load(w + p), xv, a0);
            a1 = Fma512(Vector512.Load(w1 + p), xv, a1);
            a2 = Fma512(Vector512.Load(w2 + p), xv, a2);
            a3 = Fma512(Vector512.Load(w3 + p), xv, a3);
        }
        y[0] = Finish512(a0, w, x, p, k);
        y[1] = Finish512(a1, w1, x, p, k);
        y[2] = Finish512(a2, w2, x, p, k);
        y[3] = Finish512(a3, w3, x, p, k);
    }

    /// <summary>Vector512 form of <see cref="Block4x4"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4x4512(float* w, float* x, int k, float* y, int ldy)
    {
        float* w1 = w + k, w2 = w1 + k, w3 = w2 + k;
        float* x1 = x + k, x2 = x1 + k, x3 = x2 + k;
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        int p = 0;
        float* next = w + 4L * k;        // the next 4-row block of W, fetched while this one is multiplied
        for (; p + 16 <= k; p += 16)
        {
            // The multiply-heavy loop issues too few loads to keep memory busy on its own; without this the
            // first pass over a chunk of W runs at a third of the bandwidth batch 1 gets.
            Sse.Prefetch0(next + p);
            Sse.Prefetch0(next + k + p);
            Sse.Prefetch0(next + 2 * k + p);
            Sse.Prefetch0(next + 3 * k + p);
            var v0 = Vector512.Load(w + p);
            var v1 = Vector512.Load(w1 + p);
            var v2 = Vector512.Load(w2 + p);
            var v3 = Vector512.Load(w3 + p);
            var u = Vector512.Load(x + p);
            c00 = Fma512(v0, u, c00); c01 = Fma512(v1, u, c01); c02 = Fma512(v2, u, c02); c03 = Fma512(v3, u, c03);
            u = Vector512.Load(x1 + p);
            c10 = Fma512(v0, u, c10); c11 = Fma512(v1, u, c11); c12 = Fma512(v2, u, c12); c13 = Fma512(v3, u, c13);
            u = Vector512.Load(x2 + p);
            c20 = Fma512(v0, u, c20); c21 = Fma512(v1, u, c21); c22 = Fma512(v2, u, c22); c23 = Fma512(v3, u, c23);
            u = Vector512.Load(x3 + p);
            c30 = Fma512(v0, u, c30); c31 = Fma512(v1, u, c31); c32 = Fma512(v2, u, c32); c33 = Fma512(v3, u, c33);
        }
        float* y1 = y + ldy, y2 = y1 + ldy, y3 = y2 + ldy;
        y[0] = Finish512(c00, w, x, p, k); y[1] = Finish512(c01, w1, x, p, k); y[2] = Finish512(c02, w2, x, p, k); y[3] = Finish512(c03, w3, x, p, k);
        y1[0] = Finish512(c10, w, x1, p, k); y1[1] = Finish512(c11, w1, x1, p, k); y1[2] = Finish512(c12, w2, x1, p, k); y1[3] = Finish512(c13, w3, x1, p, k);
        y2[0] = Finish512(c20, w, x2, p, k); y2[1] = Finish512(c21, w1, x2, p, k); y2[2] = Finish512(c22, w2, x2, p, k); y2[3] = Finish512(c23, w3, x2, p, k);
        y3[0] = Finish512(c30, w, x3, p, k); y3[1] = Finish512(c31, w1, x3, p, k); y3[2] = Finish512(c32, w2, x3, p, k); y3[3] = Finish512(c33, w3, x3, p, k);
    }
}
