namespace Whetstone.Tensors.Kernels;

/// <summary>
/// A register-tiled GEMM micro-kernel and the cache blocking that feeds it. The driver
/// (<see cref="GemmDriver{TKernel}"/>) is generic over this interface, so the JIT compiles one
/// specialised copy per kernel, in the style of TensorPrimitives' operator structs.
/// </summary>
internal unsafe interface IGemmMicroKernel
{
    /// <summary>Rows of the register tile; packed A slivers are MR floats wide.</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the register tile; packed B slivers are NR floats wide.</summary>
    static abstract int NR { get; }

    /// <summary>Depth of one packed panel: a KC×NR B sliver should sit in L1.</summary>
    static abstract int KC { get; }

    /// <summary>Rows of A per block (multiple of MR): an MC×KC packed A block should sit in L2.</summary>
    static abstract int MC { get; }

    /// <summary>Columns of B per panel (multiple of NR): a KC×NC packed B panel should sit in L3.</summary>
    static abstract int NC { get; }

    /// <summary>Whether this machine runs the kernel in hardware.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>
    /// C[0..MR, 0..NR] = alpha·(Ã·B̃) + beta·C for packed Ã: (kc, MR) and B̃: (kc, NR), both k-major.
    /// beta = 0 does not read C. The store computes fma(acc, alpha, beta·c), the formula
    /// <see cref="GemmTileStore"/> repeats for edge tiles.
    /// </summary>
    static abstract void Run(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta);
}
