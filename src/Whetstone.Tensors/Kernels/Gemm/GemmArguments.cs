namespace Whetstone.Tensors.Kernels;

/// <summary>Argument checks shared by every GEMM entry point, with messages that name the bad argument.</summary>
internal static class GemmArguments
{
    /// <summary>Checks sizes and leading dimensions of C = op(A)·op(B) with op(A): (m, k), op(B): (k, n).</summary>
    public static void Validate(Transpose transA, Transpose transB, int m, int n, int k, int lda, int ldb, int ldc)
    {
        CheckTranspose(transA, nameof(transA));
        CheckTranspose(transB, nameof(transB));
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckLeadingDimension(lda, StoredColumns(transA, m, k), nameof(lda), transA == Transpose.None ? "k" : "m");
        CheckLeadingDimension(ldb, StoredColumns(transB, k, n), nameof(ldb), transB == Transpose.None ? "n" : "k");
        CheckLeadingDimension(ldc, n, nameof(ldc), "n");
    }

    /// <summary>Checks <see cref="Validate"/> plus that each buffer holds its whole strided matrix.</summary>
    public static void ValidateLengths(
        Transpose transA, Transpose transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        ValidateBatchedLengths(1, transA, transB, m, n, k, aLength, lda, 0, bLength, ldb, 0, cLength, ldc, 0);
    }

    /// <summary>Checks a strided batch: matrix i of A starts at i·strideA, and so on for B and C.</summary>
    public static void ValidateBatchedLengths(
        int batchCount, Transpose transA, Transpose transB, int m, int n, int k,
        long aLength, int lda, long strideA, long bLength, int ldb, long strideB, long cLength, int ldc, long strideC)
    {
        Validate(transA, transB, m, n, k, lda, ldb, ldc);
        ValidateStrides(batchCount, strideA, strideB, strideC);
        CheckLength("a", aLength, batchCount, strideA, StoredRows(transA, m, k), StoredColumns(transA, m, k), lda);
        CheckLength("b", bLength, batchCount, strideB, StoredRows(transB, k, n), StoredColumns(transB, k, n), ldb);
        CheckLength("c", cLength, batchCount, strideC, m, n, ldc);
    }

    /// <summary>Checks the batch count and that strides are not negative.</summary>
    public static void ValidateStrides(int batchCount, long strideA, long strideB, long strideC)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchCount);
        ArgumentOutOfRangeException.ThrowIfNegative(strideA);
        ArgumentOutOfRangeException.ThrowIfNegative(strideB);
        ArgumentOutOfRangeException.ThrowIfNegative(strideC);
    }

    /// <summary>Rows of the stored operand whose op() has shape (rows, cols).</summary>
    public static int StoredRows(Transpose t, int rows, int cols) => t == Transpose.None ? rows : cols;

    /// <summary>Columns of the stored operand whose op() has shape (rows, cols).</summary>
    public static int StoredColumns(Transpose t, int rows, int cols) => t == Transpose.None ? cols : rows;

    private static void CheckTranspose(Transpose t, string name)
    {
        if (t != Transpose.None && t != Transpose.Transposed)
            throw new ArgumentOutOfRangeException(name, t, "Expected Transpose.None or Transpose.Transposed.");
    }

    private static void CheckLeadingDimension(int ld, int storedColumns, string name, string dimension)
    {
        if (ld < Math.Max(1, storedColumns))
            throw new ArgumentOutOfRangeException(name, ld,
                $"{name} must be at least max(1, {dimension}) = {Math.Max(1, storedColumns)} (the stored row length).");
    }

    private static void CheckLength(string name, long length, int batchCount, long stride, int rows, int cols, int ld)
    {
        if (batchCount == 0 || rows == 0 || cols == 0)
            return;
        long needed = (long)(batchCount - 1) * stride + (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException(
                $"Buffer '{name}' holds {length} floats but the {batchCount} strided ({rows}×{cols}, ld {ld}, stride {stride}) matrices need {needed}.",
                name);
    }
}
