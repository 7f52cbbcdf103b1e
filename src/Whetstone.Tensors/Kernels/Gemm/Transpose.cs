namespace Whetstone.Tensors.Kernels;

/// <summary>
/// How a GEMM operand is read from its row-major storage: as stored, or transposed.
/// </summary>
/// <remarks>
/// For <c>op(A)</c> of shape (m, k): <see cref="None"/> means A is stored (m, k) with leading dimension
/// <c>lda ≥ k</c>; <see cref="Transposed"/> means A is stored (k, m) with <c>lda ≥ m</c>.
/// </remarks>
public enum Transpose
{
    /// <summary>Use the operand as stored.</summary>
    None = 0,

    /// <summary>Use the transpose of the stored operand.</summary>
    Transposed = 1,
}
