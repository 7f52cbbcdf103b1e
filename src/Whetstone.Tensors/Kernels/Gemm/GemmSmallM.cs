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

    // Column chunk: one pool index, and the length of one stack accumulator row.
    private const int Chunk = 256;

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
            float* acc = stackalloc float[Chunk];
            var sums = new Span<float>(acc, width);
            for (int i = 0; i < M; i++)
            {
                var row = new ReadOnlySpan<float>(Rows + (nint)i * K, K);
                if (TransB == Transpose.None)
                {
                    // C[i, j0..] = Σ_p A[i, p] · B[p, j0..]: one streamed row of B per step.
                    sums.Clear();
                    for (int p = 0; p < K; p++)
                        TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(B + (nint)p * Ldb + j0, width), row[p], sums, sums);
                }
                else
                {
                    // C[i, j] = A[i, :] · B[j, :]: B's rows are contiguous along k.
                    for (int j = 0; j < width; j++)
                        sums[j] = TensorPrimitives.Dot(row, new ReadOnlySpan<float>(B + (nint)(j0 + j) * Ldb, K));
                }
                GemmTileStore.Store(acc, Chunk, 1, width, C + (nint)i * Ldc + j0, Ldc, Alpha, Beta);
            }
        }
    }
}
