using System.Runtime.Intrinsics;
using Whetstone.Tensors.Kernels.Simd;

namespace Whetstone.Tensors.Tests.Kernels;

public class VectorMathTests
{
    [Fact]
    public void Exp_is_accurate_at_every_width_across_the_float_range()
    {
        double worst = 0;
        for (double v = -87; v <= 88; v += 0.01)
        {
            float x = (float)v;
            double exact = Math.Exp(x);
            foreach (float got in Widths(x))
                worst = Math.Max(worst, Math.Abs(got - exact) / exact);
        }
        Assert.True(worst < 3e-7, $"worst relative error {worst:E2}");
    }

    [Theory]
    [InlineData(float.NegativeInfinity, 0f)]
    [InlineData(-1000f, 0f)]
    [InlineData(-88f, 0f)]
    [InlineData(0f, 1f)]
    [InlineData(1000f, float.PositiveInfinity)]
    [InlineData(float.PositiveInfinity, float.PositiveInfinity)]
    public void Exp_edges(float x, float expected)
    {
        foreach (float got in Widths(x))
            Assert.Equal(expected, got);
    }

    [Fact]
    public void Exp_of_nan_is_nan()
    {
        foreach (float got in Widths(float.NaN))
            Assert.True(float.IsNaN(got));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(1000)]
    public void Row_max_matches_linq(int n)
    {
        var x = KernelTestData.Uniform(n, n, -50, 50);
        Assert.Equal(x.Max(), RowMax.Compute(x));
        x[n / 2] = 99f;
        Assert.Equal(99f, RowMax.Compute(x));
    }

    private static float[] Widths(float x) =>
    [
        VectorMath.Exp(Vector128.Create(x)).ToScalar(),
        VectorMath.Exp(Vector256.Create(x)).ToScalar(),
        VectorMath.Exp(Vector512.Create(x)).ToScalar(),
    ];
}
