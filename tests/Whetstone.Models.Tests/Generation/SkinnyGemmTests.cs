using Whetstone.Models.Generation;
using Whetstone.Tensors;
using Whetstone.Tensors.Kernels;

namespace Whetstone.Models.Tests.Generation;

public unsafe class SkinnyGemmTests
{
    [Theory]
    [InlineData(1, 13, 5)]
    [InlineData(3, 70, 37)]
    [InlineData(4, 64, 32)]
    [InlineData(9, 130, 67)]
    [InlineData(32, 200, 96)]
    public void Matches_the_reference_gemm(int m, int n, int k)
    {
        var rng = new Rng(1);
        using var x = Tensor.RandomNormal(new Shape(m, k), rng);
        using var w = Tensor.RandomNormal(new Shape(n, k), rng);
        using var y = Tensor.Full(new Shape(m, n), float.NaN);
        var expected = new float[m * n];
        Gemm.Multiply(x.AsSpan(), w.AsSpan(), expected, m, n, k, Transpose.None, Transpose.Transposed);
        SkinnyGemm.Multiply(x.DataPointer, m, k, w.DataPointer, n, y.DataPointer);
        var got = y.ToArray();
        for (int i = 0; i < got.Length; i++)
            Assert.True(Math.Abs(expected[i] - got[i]) <= 1e-4f * (1 + Math.Abs(expected[i])), $"[{i}] {expected[i]} vs {got[i]}");
    }

    [Fact]
    public void A_row_gives_the_same_bits_alone_and_inside_any_batch()
    {
        var rng = new Rng(2);
        const int n = 301, k = 83;
        using var x = Tensor.RandomNormal(new Shape(7, k), rng);
        using var w = Tensor.RandomNormal(new Shape(n, k), rng);
        using var all = Tensor.Zeros(new Shape(7, n));
        using var one = Tensor.Zeros(new Shape(1, n));
        SkinnyGemm.Multiply(x.DataPointer, 7, k, w.DataPointer, n, all.DataPointer);
        for (int r = 0; r < 7; r++)
        {
            SkinnyGemm.Multiply(x.DataPointer + r * k, 1, k, w.DataPointer, n, one.DataPointer);
            Assert.Equal(one.ToArray(), all.Row(r).ToArray());
        }
    }
}
