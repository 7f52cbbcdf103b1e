using Whetstone.Tensors.Kernels;
using static Whetstone.Tensors.Tests.Kernels.KernelTestData;

namespace Whetstone.Tensors.Tests.Kernels;

/// <summary>
/// The row kernels are software-pipelined (row r+1's reduction runs inside row r's element pass); a row's
/// result must still not depend on where it sits, so a batch of equal rows gives bit-equal outputs.
/// </summary>
public class RowConsistencyTests
{
    private const int Rows = 4;

    private static float[] Repeat(float[] row)
    {
        var a = new float[row.Length * Rows];
        for (int r = 0; r < Rows; r++) row.CopyTo(a, r * row.Length);
        return a;
    }

    private static void AllRowsEqual(float[] a, int dim)
    {
        for (int r = 1; r < Rows; r++) BitIdentical(a.AsSpan(0, dim), a.AsSpan(r * dim, dim));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(2048)]
    public void Norms_give_equal_rows_equal_results(int dim)
    {
        var x = Repeat(Uniform(1, dim)); var dy = Repeat(Uniform(2, dim)); var w = Uniform(3, dim); var b = Uniform(4, dim);
        var y = new float[x.Length]; var rstd = new float[Rows]; var mean = new float[Rows];
        var dx = new float[x.Length];
        RmsNormKernel.Forward(x, w, y, rstd, Rows, dim, 1e-6f);
        AllRowsEqual(y, dim);
        RmsNormKernel.Backward(x, w, rstd, dy, dx, new float[dim], Rows, dim);
        AllRowsEqual(dx, dim);

        Array.Clear(dx);
        LayerNormKernel.Forward(x, w, b, y, mean, rstd, Rows, dim, 1e-5f);
        AllRowsEqual(y, dim);
        LayerNormKernel.Backward(x, w, mean, rstd, dy, dx, new float[dim], new float[dim], Rows, dim);
        AllRowsEqual(dx, dim);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(1000)]
    public void Softmax_gives_equal_rows_equal_results(int cols)
    {
        var x = Repeat(Uniform(1, cols, -5, 5));
        var y = new float[x.Length];
        SoftmaxKernel.Forward(x, y, Rows, cols);
        AllRowsEqual(y, cols);
    }
}
