namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Single-precision matrix multiply, row-major: C(m, n) = alpha·op(A)·op(B) + beta·C,
/// with op(A): (m, k) and op(B): (k, n). The fast path packs cache-sized panels of A and B and runs a
/// register-tiled SIMD micro-kernel (AVX-512, AVX2, 128-bit or scalar, chosen at run time), multithreaded
/// over output blocks on <see cref="Threading.ComputePool"/>. The K reduction is never split across
/// threads, so results are bit-identical for any <see cref="Threading.ComputeThreads.Count"/>.
/// </summary>
/// <remarks>
/// beta = 0 overwrites C without reading it (old NaNs vanish); beta = 1 accumulates into C, which is how
/// gradients add up. Common transformer forms: a linear layer's forward is A·Bᵀ (x·Wᵀ), its input gradient
/// A·B (dy·W) and its weight gradient Aᵀ·B (dyᵀ·x).
/// </remarks>
public static class Gemm
{
    /// <summary>Which micro-kernel and blocking this machine uses, e.g. "Vector512 12x32, KC 256, MC 192, NC 4096".</summary>
    public static string Implementation => GemmDispatch.Describe(GemmDispatch.Best);

    /// <summary>C = alpha·op(A)·op(B) + beta·C on raw pointers.</summary>
    /// <param name="transA">Whether A is read transposed.</param>
    /// <param name="transB">Whether B is read transposed.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B): the reduction length.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, stored (m, k) with <paramref name="lda"/> ≥ k, or transposed: stored (k, m) with lda ≥ m.</param>
    /// <param name="lda">Row stride of A's storage, in floats.</param>
    /// <param name="b">B, stored (k, n) with <paramref name="ldb"/> ≥ n, or transposed: stored (n, k) with ldb ≥ k.</param>
    /// <param name="ldb">Row stride of B's storage, in floats.</param>
    /// <param name="beta">Scale of C's old contents; 0 ignores them (even NaN), 1 accumulates.</param>
    /// <param name="c">C, stored (m, n) with <paramref name="ldc"/> ≥ n. Must not overlap A or B.</param>
    /// <param name="ldc">Row stride of C, in floats.</param>
    public static unsafe void Multiply(
        Transpose transA, Transpose transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        GemmArguments.Validate(transA, transB, m, n, k, lda, ldb, ldc);
        GemmDispatch.Run(GemmDispatch.Best, parallel: true, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>C = alpha·op(A)·op(B) + beta·C on spans; every buffer's length is checked against its strided shape.</summary>
    /// <param name="transA">Whether A is read transposed.</param>
    /// <param name="transB">Whether B is read transposed.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">The reduction length.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A's storage: (m, k), or (k, m) when transposed.</param>
    /// <param name="lda">Row stride of A's storage.</param>
    /// <param name="b">B's storage: (k, n), or (n, k) when transposed.</param>
    /// <param name="ldb">Row stride of B's storage.</param>
    /// <param name="beta">Scale of C's old contents; 0 ignores them, 1 accumulates.</param>
    /// <param name="c">C's storage: (m, n).</param>
    /// <param name="ldc">Row stride of C.</param>
    public static unsafe void Multiply(
        Transpose transA, Transpose transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        GemmArguments.ValidateLengths(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
            GemmDispatch.Run(GemmDispatch.Best, parallel: true, transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }

    /// <summary>
    /// Dense shorthand: C(m, n) = op(A)·op(B) with tightly packed rows (lda, ldb, ldc equal to the stored row lengths),
    /// overwriting C (beta = 0) or adding to it when <paramref name="accumulate"/> is true (beta = 1).
    /// </summary>
    /// <param name="a">A: (m, k), or (k, m) when <paramref name="transA"/> is Transposed.</param>
    /// <param name="b">B: (k, n), or (n, k) when <paramref name="transB"/> is Transposed.</param>
    /// <param name="c">C: (m, n).</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The reduction length.</param>
    /// <param name="transA">Whether A is read transposed.</param>
    /// <param name="transB">Whether B is read transposed.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void Multiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k,
        Transpose transA = Transpose.None, Transpose transB = Transpose.None, bool accumulate = false)
    {
        int lda = Math.Max(1, GemmArguments.StoredColumns(transA, m, k));
        int ldb = Math.Max(1, GemmArguments.StoredColumns(transB, k, n));
        Multiply(transA, transB, m, n, k, 1f, a, lda, b, ldb, accumulate ? 1f : 0f, c, Math.Max(1, n));
    }

    /// <summary>
    /// Strided batch of independent products: for i in [0, batchCount),
    /// C_i = alpha·op(A_i)·op(B_i) + beta·C_i where A_i starts at a + i·strideA (likewise B, C).
    /// Attention uses it for its B·H independent (T, T) score and (T, d) value products.
    /// A stride of 0 reuses one matrix for every batch entry.
    /// </summary>
    /// <param name="batchCount">Number of products.</param>
    /// <param name="transA">Whether each A_i is read transposed.</param>
    /// <param name="transB">Whether each B_i is read transposed.</param>
    /// <param name="m">Rows of each op(A_i) and C_i.</param>
    /// <param name="n">Columns of each op(B_i) and C_i.</param>
    /// <param name="k">The reduction length.</param>
    /// <param name="alpha">Scale of each product.</param>
    /// <param name="a">First A.</param>
    /// <param name="lda">Row stride within each A_i.</param>
    /// <param name="strideA">Distance in floats from A_i to A_(i+1).</param>
    /// <param name="b">First B.</param>
    /// <param name="ldb">Row stride within each B_i.</param>
    /// <param name="strideB">Distance in floats from B_i to B_(i+1).</param>
    /// <param name="beta">Scale of each C_i's old contents.</param>
    /// <param name="c">First C. The C_i must not overlap each other or any A_i, B_i.</param>
    /// <param name="ldc">Row stride within each C_i.</param>
    /// <param name="strideC">Distance in floats from C_i to C_(i+1).</param>
    public static unsafe void MultiplyBatched(
        int batchCount, Transpose transA, Transpose transB, int m, int n, int k, float alpha,
        float* a, int lda, long strideA, float* b, int ldb, long strideB,
        float beta, float* c, int ldc, long strideC)
    {
        GemmArguments.Validate(transA, transB, m, n, k, lda, ldb, ldc);
        GemmArguments.ValidateStrides(batchCount, strideA, strideB, strideC);
        GemmBatched.Run(GemmDispatch.Best, batchCount, transA, transB, m, n, k, alpha,
            a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC);
    }

    /// <summary>Span form of <see cref="MultiplyBatched(int, Transpose, Transpose, int, int, int, float, float*, int, long, float*, int, long, float, float*, int, long)"/>; lengths are checked.</summary>
    /// <param name="batchCount">Number of products.</param>
    /// <param name="transA">Whether each A_i is read transposed.</param>
    /// <param name="transB">Whether each B_i is read transposed.</param>
    /// <param name="m">Rows of each op(A_i) and C_i.</param>
    /// <param name="n">Columns of each op(B_i) and C_i.</param>
    /// <param name="k">The reduction length.</param>
    /// <param name="alpha">Scale of each product.</param>
    /// <param name="a">All A_i.</param>
    /// <param name="lda">Row stride within each A_i.</param>
    /// <param name="strideA">Distance in floats from A_i to A_(i+1).</param>
    /// <param name="b">All B_i.</param>
    /// <param name="ldb">Row stride within each B_i.</param>
    /// <param name="strideB">Distance in floats from B_i to B_(i+1).</param>
    /// <param name="beta">Scale of each C_i's old contents.</param>
    /// <param name="c">All C_i.</param>
    /// <param name="ldc">Row stride within each C_i.</param>
    /// <param name="strideC">Distance in floats from C_i to C_(i+1).</param>
    public static unsafe void MultiplyBatched(
        int batchCount, Transpose transA, Transpose transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, long strideA, ReadOnlySpan<float> b, int ldb, long strideB,
        float beta, Span<float> c, int ldc, long strideC)
    {
        GemmArguments.ValidateBatchedLengths(batchCount, transA, transB, m, n, k,
            a.Length, lda, strideA, b.Length, ldb, strideB, c.Length, ldc, strideC);
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
            GemmBatched.Run(GemmDispatch.Best, batchCount, transA, transB, m, n, k, alpha,
                pa, lda, strideA, pb, ldb, strideB, beta, pc, ldc, strideC);
    }
}
