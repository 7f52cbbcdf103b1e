using Whetstone.Tensors.Autograd;

namespace Whetstone.Tensors.Tests.Autograd;

public class MatMulGradTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void MatMul2D_AllTransposeForms(bool tA, bool tB)
    {
        const int m = 3, k = 5, n = 4;
        var aShape = tA ? new Shape(k, m) : new Shape(m, k);
        var bShape = tB ? new Shape(n, k) : new Shape(k, n);
        GradCheck.Check((t, x) => t.MatMul(x[0], x[1], tA, tB), [aShape, bShape]);
    }

    [Fact]
    public void MatMul_LinearFormFlattensLeadingDimensions()
    {
        // x (B, T, in) · Wᵀ, W (out, in): the common linear layer.
        GradCheck.Check((t, x) => t.MatMul(x[0], x[1], transposeB: true), [new Shape(2, 3, 5), new Shape(4, 5)]);
    }

    [Fact]
    public void Linear_WithAndWithoutBias()
    {
        GradCheck.Check((t, x) => t.Linear(x[0], x[1], x[2]), [new Shape(2, 3, 5), new Shape(4, 5), new Shape(4)]);
        GradCheck.Check((t, x) => t.Linear(x[0], x[1]), [new Shape(3, 5), new Shape(4, 5)]);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void MatMulBatched_AllTransposeForms(bool tA, bool tB)
    {
        const int m = 3, k = 4, n = 2;
        var aShape = tA ? new Shape(2, 2, k, m) : new Shape(2, 2, m, k);
        var bShape = tB ? new Shape(2, 2, n, k) : new Shape(2, 2, k, n);
        GradCheck.Check((t, x) => t.MatMul(x[0], x[1], tA, tB), [aShape, bShape]);
    }

    [Fact]
    public void MatMul_ForwardMatchesNaiveProduct()
    {
        var rng = new Rng(3);
        using var a = Tensor.RandomNormal(new Shape(2, 3, 4), rng);
        using var b = Tensor.RandomNormal(new Shape(2, 5, 4), rng);
        using var tape = new Tape();
        var c = tape.MatMul(a, b, transposeB: true);
        Assert.Equal(new Shape(2, 3, 5), c.Shape);
        for (int bi = 0; bi < 2; bi++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 5; j++)
                {
                    double s = 0;
                    for (int p = 0; p < 4; p++) s += a[bi, i, p] * b[bi, j, p];
                    Assert.Equal(s, c[bi, i, j], 4);
                }
    }

    [Fact]
    public void MatMul_RejectsMismatchedInnerDimensions()
    {
        using var a = Tensor.Zeros(new Shape(2, 3));
        using var b = Tensor.Zeros(new Shape(4, 5));
        using var tape = new Tape();
        var ex = Assert.Throws<ArgumentException>(() => tape.MatMul(a, b));
        Assert.Contains("(2, 3)", ex.Message);
    }
}
