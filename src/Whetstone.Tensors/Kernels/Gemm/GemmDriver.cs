using System.Runtime.CompilerServices;
using Whetstone.Tensors.Threading;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// The GotoBLAS/BLIS loop nest around a micro-kernel:
/// <code>
/// for jc in N by NC:                       B panel (KC, NC) packed once, kept in L3
///   for pc in K by KC:                     beta applies on the first pc only
///     for icBig in M by MBig:              packed A slab (MBig, KC)
///       parallel: pack A slivers (and, once per panel, B slivers)
///       parallel over (MC block, run of NR slivers):
///         for jr: for ir:  micro-kernel    A block (MC, KC) in L2, B sliver (KC, NR) in L1
/// </code>
/// Threads split only output tiles; every C element sums its K panels in the same order on one thread,
/// so results do not depend on the thread count.
/// </summary>
internal static unsafe class GemmDriver<TKernel> where TKernel : struct, IGemmMicroKernel
{
    /// <summary>Below this many flops (2·m·n·k) a GEMM runs on the calling thread only.</summary>
    public const long ParallelFlopThreshold = 1L << 21;

    private static int MBig => TKernel.MC * 16;

    /// <summary>C = alpha·op(A)·op(B) + beta·C with validated arguments.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(bool parallel, Transpose transA, Transpose transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m == 0 || n == 0)
            return;
        if (k == 0 || alpha == 0f)
        {
            GemmTileStore.Scale(m, n, beta, c, ldc);
            return;
        }

        if (m <= GemmSmallM.MaxRows)
        {
            GemmSmallM.Run(parallel, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }

        int threads = ComputeThreads.Count;
        parallel &= threads > 1 && 2L * m * n * k >= ParallelFlopThreshold && !ComputePool.IsInsideLoop;
        int mr = TKernel.MR, nr = TKernel.NR;
        int kcMax = Math.Min(TKernel.KC, k);
        int mBig = Math.Min(MBig, RoundUp(m, mr));
        int ncMax = Math.Min(TKernel.NC, RoundUp(n, nr));
        var workspace = GemmWorkspace.Current;
        float* packedA = workspace.PackedA((long)mBig * kcMax);
        float* packedB = workspace.PackedB((long)ncMax * kcMax);

        for (int jc = 0; jc < n; jc += TKernel.NC)
        {
            int nc = Math.Min(TKernel.NC, n - jc);
            int bSlivers = DivUp(nc, nr);
            for (int pc = 0; pc < k; pc += TKernel.KC)
            {
                int kc = Math.Min(TKernel.KC, k - pc);
                float betaHere = pc == 0 ? beta : 1f;
                for (int icBig = 0; icBig < m; icBig += MBig)
                {
                    int mb = Math.Min(MBig, m - icBig);
                    int aSlivers = DivUp(mb, mr);
                    var pack = new PackBody
                    {
                        TransA = transA, A = a, Lda = lda, TransB = transB, B = b, Ldb = ldb,
                        Row0 = icBig, Rows = mb, P0 = pc, Kc = kc, Col0 = jc, Cols = nc,
                        ASlivers = aSlivers, BSlivers = icBig == 0 ? bSlivers : 0,
                        PackedA = packedA, PackedB = packedB,
                    };
                    Loop(aSlivers + pack.BSlivers, pack, parallel);

                    // Equal-sized MC blocks (rounded to MR) balance threads better than MC, MC, remainder.
                    int mBlocks = DivUp(mb, TKernel.MC);
                    int mc = RoundUp(DivUp(mb, mBlocks), mr);
                    int chunkSlivers = parallel
                        ? Math.Clamp((int)((long)bSlivers * mBlocks / (8L * threads)), 1, bSlivers)
                        : bSlivers;
                    int nChunks = DivUp(bSlivers, chunkSlivers);
                    var compute = new ComputeBody
                    {
                        PackedA = packedA, PackedB = packedB, C = c + (nint)icBig * ldc + jc, Ldc = ldc,
                        Alpha = alpha, Beta = betaHere, Rows = mb, Cols = nc, Kc = kc,
                        MBlocks = mBlocks, Mc = mc, ChunkSlivers = chunkSlivers, BSlivers = bSlivers,
                    };
                    Loop(mBlocks * nChunks, compute, parallel);
                }
            }
        }
    }

    private static void Loop<TBody>(int count, in TBody body, bool parallel) where TBody : struct, IComputeLoopBody
    {
        if (parallel)
        {
            ComputePool.For(count, body);
            return;
        }
        for (int i = 0; i < count; i++)
            body.Invoke(i);
    }

    private static int DivUp(int x, int y) => (x + y - 1) / y;

    private static int RoundUp(int x, int y) => DivUp(x, y) * y;

    // Index i < ASlivers packs A sliver i of the slab; the rest pack B slivers of the panel.
    private struct PackBody : IComputeLoopBody
    {
        public Transpose TransA, TransB;
        public float* A, B, PackedA, PackedB;
        public int Lda, Ldb, Row0, Rows, P0, Kc, Col0, Cols, ASlivers, BSlivers;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Invoke(int index)
        {
            int mr = TKernel.MR, nr = TKernel.NR;
            if (index < ASlivers)
            {
                int r = index * mr;
                GemmPacking.PackA(TransA, A, Lda, Row0 + r, Math.Min(mr, Rows - r), P0, Kc, mr, PackedA + (nint)r * Kc);
            }
            else
            {
                int s = index - ASlivers;
                int col = s * nr;
                GemmPacking.PackB(TransB, B, Ldb, P0, Kc, Col0 + col, Math.Min(nr, Cols - col), nr, PackedB + (nint)col * Kc);
            }
        }
    }

    // Index = chunk·MBlocks + block: one MC block of rows times a run of ChunkSlivers B slivers.
    private struct ComputeBody : IComputeLoopBody
    {
        public float* PackedA, PackedB, C;
        public int Ldc, Rows, Cols, Kc, MBlocks, Mc, ChunkSlivers, BSlivers;
        public float Alpha, Beta;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Invoke(int index)
        {
            int mr = TKernel.MR, nr = TKernel.NR;
            int block = index % MBlocks, chunk = index / MBlocks;
            int rowStart = block * Mc, rowEnd = Math.Min(Rows, rowStart + Mc);
            if (rowStart >= Rows)
                return;
            int sliverStart = chunk * ChunkSlivers, sliverEnd = Math.Min(BSlivers, sliverStart + ChunkSlivers);
            float* tile = stackalloc float[mr * nr];
            for (int s = sliverStart; s < sliverEnd; s++)
            {
                int col = s * nr;
                int cols = Math.Min(nr, Cols - col);
                float* bSliver = PackedB + (nint)col * Kc;
                for (int row = rowStart; row < rowEnd; row += mr)
                {
                    int rows = Math.Min(mr, rowEnd - row);
                    float* aSliver = PackedA + (nint)row * Kc;
                    float* cTile = C + (nint)row * Ldc + col;
                    if (rows == mr && cols == nr)
                    {
                        TKernel.Run(Kc, aSliver, bSliver, cTile, Ldc, Alpha, Beta);
                    }
                    else
                    {
                        TKernel.Run(Kc, aSliver, bSliver, tile, nr, 1f, 0f);
                        GemmTileStore.Store(tile, nr, rows, cols, cTile, Ldc, Alpha, Beta);
                    }
                }
            }
        }
    }
}
