using Whetstone.Tensors.Kernels;

namespace Whetstone.Tensors.Tests.Gemm;

public class GemmReferenceTests
{
    [Fact]
    public void MultipliesTwoByTwoInEveryTransposeForm()
    {
        // op(A) = [[1, 2], [3, 4]], op(B) = [[5, 6], [7, 8]]  =>  op(A)·op(B) = [[19, 22], [43, 50]].
        float[] a = [1, 2, 3, 4], aT = [1, 3, 2, 4], b = [5, 6, 7, 8], bT = [5, 7, 6, 8];
        float[] expected = [19, 22, 43, 50];
        foreach (var (ta, sa) in new[] { (Transpose.None, a), (Transpose.Transposed, aT) })
        foreach (var (tb, sb) in new[] { (Transpose.None, b), (Transpose.Transposed, bT) })
        {
            var c = new float[4];
            GemmReference.Multiply(ta, tb, 2, 2, 2, 1f, sa, 2, sb, 2, 0f, c, 2);
            Assert.Equal(expected, c);
        }
    }

    [Fact]
    public void AppliesAlphaAndBetaAndIgnoresOldCWhenBetaIsZero()
    {
        float[] a = [1, 2], b = [3, 4]; // (1×2)·(2×1) = 11
        float[] c = [float.NaN];
        GemmReference.Multiply(Transpose.None, Transpose.None, 1, 1, 2, 2f, a, 2, b, 1, 0f, c, 1);
        Assert.Equal(22f, c[0]);
        GemmReference.Multiply(Transpose.None, Transpose.None, 1, 1, 2, 1f, a, 2, b, 1, 0.5f, c, 1);
        Assert.Equal(22f, c[0]);
    }
}
