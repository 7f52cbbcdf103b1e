namespace Whetstone.Tensors.Kernels;

/// <summary>
/// The ground truth for <see cref="Gemm"/>: a plain triple loop, C = alpha·op(A)·op(B) + beta·C,
/// float32, row-major. Slow on purpose; tests compare every fast path against it.
/// </summary>
public static class GemmReference
{
    /// <summary>Same contract as <see cref="Gemm.Multiply(Transpose, Transpose, int, int, int, float, float*, int, float*, int, float, float*, int)"/>.</summary>
    /// <param name="transA">Whether A is read transposed.</param>
    /// <param name="transB">Whether B is read transposed.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B): the reduction length.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, stored (m, k) or, transposed, (k, m).</param>
    /// <param name="lda">Row stride of A's storage.</param>
    /// <param name="b">B, stored (k, n) or, transposed, (n, k).</param>
    /// <param name="ldb">Row stride of B's storage.</param>
    /// <param name="beta">Scale of C's old contents; 0 ignores them (even NaN).</param>
    /// <param name="c">C, stored (m, n).</param>
    /// <param name="ldc">Row stride of C.</param>
    public static unsafe void Multiply(
        Transpose transA, Transpose transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        GemmArguments.Validate(transA, transB, m, n, k, lda, ldb, ldc);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                // Accumulate in double so the reference is more accurate than anything it checks.
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float aip = transA == Transpose.None ? a[(long)i * lda + p] : a[(long)p * lda + i];
                    float bpj = transB == Transpose.None ? b[(long)p * ldb + j] : b[(long)j * ldb + p];
                    sum += (double)aip * bpj;
                }

                float* cij = c + (long)i * ldc + j;
                float product = alpha * (float)sum;
                *cij = beta == 0f ? product : product + beta * *cij;
            }
        }
    }

    /// <summary>Span form of <see cref="Multiply(Transpose, Transpose, int, int, int, float, float*, int, float*, int, float, float*, int)"/>; lengths are checked.</summary>
    /// <param name="transA">Whether A is read transposed.</param>
    /// <param name="transB">Whether B is read transposed.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">The reduction length.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A's storage.</param>
    /// <param name="lda">Row stride of A's storage.</param>
    /// <param name="b">B's storage.</param>
    /// <param name="ldb">Row stride of B's storage.</param>
    /// <param name="beta">Scale of C's old contents; 0 ignores them.</param>
    /// <param name="c">C's storage.</param>
    /// <param name="ldc">Row stride of C.</param>
    public static unsafe void Multiply(
        Transpose transA, Transpose transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        GemmArguments.ValidateLengths(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
            Multiply(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }
}
