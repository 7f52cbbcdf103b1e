using System.Runtime.CompilerServices;
using Whetstone.Tensors.Threading;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// The GotoBLAS/BLIS loop nest around a micro-kernel, run as ONE parallel loop per operand panel:
/// <code>
/// for jc in N by NcStep:                   B panel (K, NcStep) packed, as KC-deep slices
///   for ic in M by MStep:                  A slab (MStep, K) packed, as KC-deep slices
///     parallel over (MC block, run of NR slivers):
///       for pc in K by KC:                 beta applies on the first pc only
///         pack A block (MC, KC) and B slivers (KC, NR) if no thread has yet (flags)
///         for jr: for ir:  micro-kernel    A block in L2, B sliver (KC, NR) in L1
/// </code>
/// Packing happens inside the parallel loop: the first task to need a packed block or sliver packs it and
/// marks it done; others wait for the mark. So there is one fork-join per panel instead of two per KC slice,
/// which matters when the machine is busy and any barrier can stall on a descheduled thread.
/// Threads split only output tiles; every C element sums its KC slices in the same order on one thread,
/// so results do not depend on the thread count. A very long K runs as sequential K chunks of this nest
/// (<see cref="GemmKSplit"/>), which adds the same slices in the same order.
/// </summary>
internal static unsafe class GemmDriver<TKernel> where TKernel : struct, IGemmMicroKernel
{
    /// <summary>Below this many flops (2·m·n·k) a GEMM runs on the calling thread only.</summary>
    public const long ParallelFlopThreshold = 1L << 21;

    // Each packed operand (A slab, B panel) holds at most this many floats (16 MiB).
    internal const long PanelBudget = 1L << 22;

    // Floats of packed B one task walks through (1 MiB), so that tasks on other A blocks find it in cache.
    private const long ChunkBudget = 1L << 18;

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

        int kStep = GemmKSplit.Step(m, k, TKernel.MC, TKernel.KC, PanelBudget);
        if (kStep < k)
        {
            // Sequential K chunks at KC boundaries: each C element still adds its KC slices in the same order, with
            // beta applied on the first slice only, so the result is bit-identical to one whole-K pass.
            for (int pc = 0; pc < k; pc += kStep)
            {
                float* aChunk = a + (nint)(transA == Transpose.None ? pc : (long)pc * lda);
                float* bChunk = b + (nint)(transB == Transpose.None ? (long)pc * ldb : pc);
                RunPanels(parallel, transA, transB, m, n, Math.Min(kStep, k - pc), alpha, aChunk, lda, bChunk, ldb,
                    pc == 0 ? beta : 1f, c, ldc);
            }
            return;
        }
        RunPanels(parallel, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunPanels(bool parallel, Transpose transA, Transpose transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        int threads = ComputeThreads.Count;
        parallel &= threads > 1 && 2L * m * n * k >= ParallelFlopThreshold && !ComputePool.IsInsideLoop;
        int mr = TKernel.MR, nr = TKernel.NR;
        int slices = DivUp(k, TKernel.KC);
        // Columns per B panel and rows per A slab, so that each packed operand stays within budget.
        int ncStep = (int)Math.Clamp(PanelBudget / k / nr * nr, nr, TKernel.NC);
        int mStep = (int)Math.Clamp(PanelBudget / k / TKernel.MC * TKernel.MC, TKernel.MC, int.MaxValue / 2);
        int ncRounded = Math.Min(ncStep, RoundUp(n, nr));
        int mRounded = Math.Min(mStep, RoundUp(m, mr));
        int maxBlocks = DivUp(Math.Min(mStep, m), TKernel.MC);

        var workspace = GemmWorkspace.Current;
        float* packedA = workspace.PackedA((long)mRounded * k);
        float* packedB = workspace.PackedB((long)ncRounded * k);
        int* flagsA = workspace.FlagsA(slices * maxBlocks);
        int* flagsB = workspace.FlagsB(slices * (ncRounded / nr));

        for (int jc = 0; jc < n; jc += ncStep)
        {
            int nc = Math.Min(ncStep, n - jc);
            int bSlivers = DivUp(nc, nr);
            new Span<int>(flagsB, slices * bSlivers).Clear();
            for (int ic = 0; ic < m; ic += mStep)
            {
                int mb = Math.Min(mStep, m - ic);
                // Equal-sized MC blocks (rounded to MR) balance threads better than MC, MC, remainder.
                int mBlocks = DivUp(mb, TKernel.MC);
                int mc = RoundUp(DivUp(mb, mBlocks), mr);
                new Span<int>(flagsA, slices * mBlocks).Clear();
                // Enough tasks to balance threads, and each task's B columns (K deep) small enough (≤ 1 MiB)
                // to be reused from cache by the next tasks, which take the other A blocks of the same chunk.
                int chunkSlivers = parallel
                    ? Math.Clamp((int)((long)bSlivers * mBlocks / (8L * threads)), 1, bSlivers)
                    : bSlivers;
                chunkSlivers = Math.Min(chunkSlivers, (int)Math.Max(1, ChunkBudget / ((long)k * nr)));
                int nChunks = DivUp(bSlivers, chunkSlivers);
                var body = new PanelBody
                {
                    TransA = transA, A = a + (nint)(transA == Transpose.None ? (long)ic * lda : ic), Lda = lda,
                    TransB = transB, B = b + (nint)(transB == Transpose.None ? jc : (long)jc * ldb), Ldb = ldb,
                    C = c + (nint)ic * ldc + jc, Ldc = ldc, Alpha = alpha, Beta = beta,
                    Rows = mb, Cols = nc, K = k, RowsRounded = RoundUp(mb, mr), ColsRounded = bSlivers * nr,
                    MBlocks = mBlocks, Mc = mc, ChunkSlivers = chunkSlivers, BSlivers = bSlivers, NChunks = nChunks,
                    PackedA = packedA, PackedB = packedB, FlagsA = flagsA, FlagsB = flagsB,
                };
                Loop(mBlocks * nChunks, body, parallel);
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

    // Flag states: 0 not packed, 1 being packed, 2 packed. Returns true when the caller must pack (and then Publish).
    private static bool Claim(int* flag)
    {
        if (Volatile.Read(ref *flag) == 2)
            return false;
        if (Interlocked.CompareExchange(ref *flag, 1, 0) == 0)
            return true;
        var spin = new SpinWait();
        while (Volatile.Read(ref *flag) != 2)
            spin.SpinOnce(sleep1Threshold: -1);
        return false;
    }

    private static void Publish(int* flag) => Volatile.Write(ref *flag, 2);

    // One task: one MC block of rows times a run of ChunkSlivers B slivers, over all of K.
    // Packed A slice pc: (RowsRounded, kc) as MR slivers at PackedA + pc·KC·RowsRounded.
    // Packed B slice pc: (kc, ColsRounded) as NR slivers at PackedB + pc·KC·ColsRounded.
    private struct PanelBody : IComputeLoopBody
    {
        public Transpose TransA, TransB;
        public float* A, B, C, PackedA, PackedB;
        public int* FlagsA, FlagsB;
        public int Lda, Ldb, Ldc, Rows, Cols, K, RowsRounded, ColsRounded, MBlocks, Mc, ChunkSlivers, BSlivers, NChunks;
        public float Alpha, Beta;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Invoke(int index)
        {
            int mr = TKernel.MR, nr = TKernel.NR, kcMax = TKernel.KC;
            // Tasks run in waves of MBlocks, one per A block. Within a wave each block takes a different chunk
            // of B (shifted by the block number), so threads that start together never wait on each other's
            // packing; a chunk comes back in the next wave, for the next block, while still in cache.
            int block = index % MBlocks;
            int chunk = (index / MBlocks + block) % NChunks;
            int rowStart = block * Mc, rowEnd = Math.Min(Rows, rowStart + Mc);
            if (rowStart >= Rows)
                return;
            int sliverStart = chunk * ChunkSlivers, sliverEnd = Math.Min(BSlivers, sliverStart + ChunkSlivers);
            float* tile = stackalloc float[mr * nr];

            for (int pc = 0, slice = 0; pc < K; pc += kcMax, slice++)
            {
                int kc = Math.Min(kcMax, K - pc);
                float beta = slice == 0 ? Beta : 1f;
                float* aSlice = PackedA + (nint)slice * kcMax * RowsRounded;
                float* bSlice = PackedB + (nint)slice * kcMax * ColsRounded;

                int* aFlag = FlagsA + slice * MBlocks + block;
                if (Claim(aFlag))
                {
                    GemmPacking.PackABlock(TransA, A, Lda, rowStart, rowEnd - rowStart, pc, kc, mr, aSlice + (nint)rowStart * kc);
                    Publish(aFlag);
                }

                for (int s = sliverStart; s < sliverEnd; s++)
                {
                    int col = s * nr;
                    int cols = Math.Min(nr, Cols - col);
                    float* bSliver = bSlice + (nint)col * kc;
                    int* bFlag = FlagsB + slice * BSlivers + s;
                    if (Claim(bFlag))
                    {
                        GemmPacking.PackB(TransB, B, Ldb, pc, kc, col, cols, nr, bSliver);
                        Publish(bFlag);
                    }

                    for (int row = rowStart; row < rowEnd; row += mr)
                    {
                        int rows = Math.Min(mr, rowEnd - row);
                        float* aSliver = aSlice + (nint)row * kc;
                        float* cTile = C + (nint)row * Ldc + col;
                        if (rows == mr && cols == nr)
                        {
                            TKernel.Run(kc, aSliver, bSliver, cTile, Ldc, Alpha, beta);
                        }
                        else
                        {
                            TKernel.Run(kc, aSliver, bSliver, tile, nr, 1f, 0f);
                            GemmTileStore.Store(tile, nr, rows, cols, cTile, Ldc, Alpha, beta);
                        }
                    }
                }
            }
        }
    }
}
