namespace Whetstone.Tensors.Kernels;

/// <summary>Picks the widest micro-kernel this machine runs in hardware and routes a GEMM to its driver.</summary>
internal static unsafe class GemmDispatch
{
    /// <summary>The kernel public entry points use: Vector512, else Vector256, else Vector128, else scalar.</summary>
    public static readonly GemmKernelKind Best =
        GemmMicroKernel512.IsSupported ? GemmKernelKind.Vector512 :
        GemmMicroKernel256.IsSupported ? GemmKernelKind.Vector256 :
        GemmMicroKernel128.IsSupported ? GemmKernelKind.Vector128 :
        GemmKernelKind.Scalar;

    /// <summary>Whether <paramref name="kind"/> runs in hardware here.</summary>
    public static bool IsSupported(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Vector512 => GemmMicroKernel512.IsSupported,
        GemmKernelKind.Vector256 => GemmMicroKernel256.IsSupported,
        GemmKernelKind.Vector128 => GemmMicroKernel128.IsSupported,
        _ => true,
    };

    /// <summary>The kernel's name, tile and blocking, for benchmark reports.</summary>
    public static string Describe(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Vector512 => Describe<GemmMicroKernel512>(kind),
        GemmKernelKind.Vector256 => Describe<GemmMicroKernel256>(kind),
        GemmKernelKind.Vector128 => Describe<GemmMicroKernel128>(kind),
        _ => Describe<GemmMicroKernelScalar>(kind),
    };

    private static string Describe<TKernel>(GemmKernelKind kind) where TKernel : struct, IGemmMicroKernel =>
        $"{kind} {TKernel.MR}x{TKernel.NR}, KC {TKernel.KC}, MC {TKernel.MC}, NC {TKernel.NC}";

    /// <summary>Runs one validated GEMM on the given kernel; <paramref name="parallel"/> false keeps it on this thread.</summary>
    public static void Run(GemmKernelKind kind, bool parallel, Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        switch (kind)
        {
            case GemmKernelKind.Vector512:
                GemmDriver<GemmMicroKernel512>.Run(parallel, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                break;
            case GemmKernelKind.Vector256:
                GemmDriver<GemmMicroKernel256>.Run(parallel, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                break;
            case GemmKernelKind.Vector128:
                GemmDriver<GemmMicroKernel128>.Run(parallel, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                break;
            default:
                GemmDriver<GemmMicroKernelScalar>.Run(parallel, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                break;
        }
    }
}
