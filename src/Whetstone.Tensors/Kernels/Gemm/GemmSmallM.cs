using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using Whetstone.Tensors.Threading;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// GEMMs with a handful of rows (m ≤ <see cref="MaxRows"/>: one decoding step, one token). Packing B would cost
/// as much as the multiply, so B is streamed as stored: C's row i is a sum of scaled rows of B (B as stored
/// (k, n)) or a row of dot products (B stored (n, k)), via TensorPrimitives' SIMD loops.
/// Work is split into fixed column chunks, so results do not depend on the thread count.
/// </summary>
internal static unsafe class GemmSmallM
{
    /// <summary>Largest m routed here.</summary>
    public const int MaxRows = 4;

    // Column chunk: one pool index, and the length of one stack accumulator row. Fixed (not derived from the
    // thread count) so the arithmetic per element never changes; 1024 floats = one 4 KiB page per B row,
    // long enough for the hardware prefetcher.
    private const int Chunk = 1024;

    /// <summary>C = alpha·op(A)·op(B) + beta·C for m ≤ <see cref="MaxRows"/>, k ≥ 1, validated arguments.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(bool parallel, Transpose transA, Transpose transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        // op(A)'s rows, made contiguous: (m, k). Transposed A has them strided by lda.
        float* rows = GemmWorkspace.Current.PackedA((long)m * k);
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++)
                rows[(nint)i * k + p] = transA == Transpose.None ? a[(nint)i * lda + p] : a[(nint)p * lda + i];

        var body = new Body
        {
            TransB = transB, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
            Rows = rows, B = b, Ldb = ldb, C = c, Ldc = ldc,
        };
        int chunks = (n + Chunk - 1) / Chunk;
        if (parallel && chunks > 1 && 2L * m * n * k >= GemmDriver<GemmMicroKernelScalar>.ParallelFlopThreshold)
        {
            ComputePool.For(chunks, body);
            return;
        }
        for (int i = 0; i < chunks; i++)
            body.Invoke(i);
    }

    private struct Body : IComputeLoopBody
    {
        public Transpose TransB;
        public int M, N, K, Ldb, Ldc;
        public float Alpha, Beta;
        public float* Rows, B, C;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Invoke(int index)
        {
            int j0 = index * Chunk;
            int width = Math.Min(Chunk, N - j0);
            float* acc = stackalloc float[MaxRows * Chunk]; // (M, width) partial sums, row stride Chunk
            if (TransB == Transpose.None)
            {
                // C[i, j0..] = Σ_p A[i, p] · B[p, j0..]: each row slice of B is read once and used for all M rows.
                for (int i = 0; i < M; i++)
                    new Span<float>(acc + i * Chunk, width).Clear();
                for (int p = 0; p < K; p++)
                {
                    var bRow = new ReadOnlySpan<float>(B + (nint)p * Ldb + j0, width);
                    for (int i = 0; i < M; i++)
                    {
                        var sums = new Span<float>(acc + i * Chunk, width);
                        TensorPrimitives.MultiplyAdd(bRow, Rows[(nint)i * K + p], sums, sums);
                    }
                }
            }
            else
            {
                // C[i, j] = A[i, :] · B[j, :]: B's rows are contiguous along k.
                for (int j = 0; j < width; j++)
                {
                    var bRow = new ReadOnlySpan<float>(B + (nint)(j0 + j) * Ldb, K);
                    for (int i = 0; i < M; i++)
                        acc[i * Chunk + j] = TensorPrimitives.Dot(new ReadOnlySpan<float>(Rows + (nint)i * K, K), bRow);
                }
            }
            GemmTileStore.Store(acc, Chunk, M, width, C + j0, Ldc, Alpha, Beta);
        }
    }
}
