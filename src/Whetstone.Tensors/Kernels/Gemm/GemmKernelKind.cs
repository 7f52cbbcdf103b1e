namespace Whetstone.Tensors.Kernels;

/// <summary>Which micro-kernel family a GEMM runs; tests force each one the machine supports.</summary>
internal enum GemmKernelKind
{
    /// <summary>Portable scalar loops.</summary>
    Scalar,

    /// <summary>128-bit vectors (SSE, NEON).</summary>
    Vector128,

    /// <summary>256-bit vectors with FMA (AVX2).</summary>
    Vector256,

    /// <summary>512-bit vectors (AVX-512F).</summary>
    Vector512,
}
