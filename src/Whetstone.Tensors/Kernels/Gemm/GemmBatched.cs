using Whetstone.Tensors.Threading;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Strided batches of independent GEMMs. Many small products (attention's per-head (T, T) and (T, d) matmuls)
/// run one whole product per pool index; large ones run one after another, each parallel inside.
/// Either way each product's arithmetic is the same as a lone call's.
/// </summary>
internal static unsafe class GemmBatched
{
    /// <summary>Runs the batch with validated arguments on the given kernel.</summary>
    public static void Run(GemmKernelKind kind, int batchCount, Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, float* a, int lda, long strideA, float* b, int ldb, long strideB,
        float beta, float* c, int ldc, long strideC)
    {
        var body = new Body
        {
            Kind = kind, TransA = transA, TransB = transB, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
            A = a, Lda = lda, StrideA = strideA, B = b, Ldb = ldb, StrideB = strideB, C = c, Ldc = ldc, StrideC = strideC,
        };
        long flopsEach = 2L * m * n * k;
        bool acrossBatch = batchCount > 1 && ComputeThreads.Count > 1
            && flopsEach < 16 * GemmDriver<GemmMicroKernel512>.ParallelFlopThreshold;
        if (acrossBatch)
        {
            ComputePool.For(batchCount, body);
            return;
        }
        body.Parallel = true;
        for (int i = 0; i < batchCount; i++)
            body.Invoke(i);
    }

    private struct Body : IComputeLoopBody
    {
        public GemmKernelKind Kind;
        public Transpose TransA, TransB;
        public int M, N, K, Lda, Ldb, Ldc;
        public float Alpha, Beta;
        public float* A, B, C;
        public long StrideA, StrideB, StrideC;
        public bool Parallel;

        public readonly void Invoke(int index)
        {
            GemmDispatch.Run(Kind, Parallel, TransA, TransB, M, N, K, Alpha,
                A + index * StrideA, Lda, B + index * StrideB, Ldb, Beta, C + index * StrideC, Ldc);
        }
    }
}
