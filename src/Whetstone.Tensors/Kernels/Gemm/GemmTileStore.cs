using System.Runtime.CompilerServices;
namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Writes a computed tile of products into C with the micro-kernels' formula, elementwise:
/// beta = 0: alpha·acc; beta = 1: fma(acc, alpha, c); otherwise fma(acc, alpha, beta·c).
/// Used for tiles cut by the matrix edge, so they round exactly as full tiles would.
/// </summary>
internal static unsafe class GemmTileStore
{
    /// <summary>Stores rows×cols of <paramref name="tile"/> (row stride <paramref name="tileStride"/>) into C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Store(float* tile, int tileStride, int rows, int cols, float* c, int ldc, float alpha, float beta)
    {
        for (int i = 0; i < rows; i++)
        {
            float* t = tile + i * tileStride;
            float* r = c + (nint)i * ldc;
            if (beta == 0f)
                for (int j = 0; j < cols; j++) r[j] = t[j] * alpha;
            else if (beta == 1f)
                for (int j = 0; j < cols; j++) r[j] = MathF.FusedMultiplyAdd(t[j], alpha, r[j]);
            else
                for (int j = 0; j < cols; j++) r[j] = MathF.FusedMultiplyAdd(t[j], alpha, r[j] * beta);
        }
    }

    /// <summary>C = beta·C over an m×n block (beta = 0 writes zeros without reading): the whole GEMM when k = 0 or alpha = 0.</summary>
    public static void Scale(int m, int n, float beta, float* c, int ldc)
    {
        if (beta == 1f)
            return;
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (nint)i * ldc, n);
            if (beta == 0f)
                row.Clear();
            else
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }
}
