using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Kernels;

namespace Whetstone.Tensors.Tests.Autograd;

public class SoftmaxRopeGradTests
{
    [Fact]
    public void Softmax() => GradCheck.Check((t, x) => t.Softmax(x[0]), [new Shape(3, 5)]);

    [Fact]
    public void AttentionSoftmax_CausalScaled() =>
        GradCheck.Check((t, x) => t.AttentionSoftmax(x[0], 0.5f, causal: true), [new Shape(2, 2, 3, 3)]);

    [Fact]
    public void AttentionSoftmax_CausalWithCacheOffset() =>
        GradCheck.Check((t, x) => t.AttentionSoftmax(x[0], 0.7f, causal: true, offset: 2), [new Shape(2, 2, 4)]);

    [Fact]
    public void AttentionSoftmax_LeftPaddedBatch()
    {
        int[] firstKeys = [0, 2];
        GradCheck.Check((t, x) => t.AttentionSoftmax(x[0], 0.5f, causal: true, offset: 0, firstKeys), [new Shape(2, 2, 4, 4)]);
        var rng = new Rng(10);
        using var s = Tensor.RandomNormal(new Shape(2, 1, 4, 4), rng);
        using var tape = new Tape();
        var p = tape.AttentionSoftmax(s, 1f, causal: true, offset: 0, firstKeys);
        Assert.Equal(1f, p[0, 0, 0, 0], 6);         // sequence 0 has no padding
        Assert.Equal(0f, p[1, 0, 1, 0]);            // sequence 1: padding query row is all zero
        Assert.Equal(0f, p[1, 0, 3, 1]);            // ... and padding keys are masked for real queries
        Assert.Equal(1f, p[1, 0, 2, 2], 6);
    }

    [Fact]
    public void AttentionSoftmax_MaskedEntriesAreZero()
    {
        var rng = new Rng(9);
        using var s = Tensor.RandomNormal(new Shape(1, 3, 3), rng);
        using var tape = new Tape();
        var p = tape.AttentionSoftmax(s, 1f, causal: true);
        Assert.Equal(0f, p[0, 0, 1]);
        Assert.Equal(0f, p[0, 1, 2]);
        Assert.Equal(1f, p[0, 0, 0], 6);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rope(bool perTokenPositions)
    {
        const int headDim = 4, maxPos = 16;
        var invFreq = new float[headDim / 2];
        RopeTables.InverseFrequencies(invFreq, headDim, 10000f);
        using var cos = Tensor.Zeros(new Shape(maxPos, headDim / 2));
        using var sin = Tensor.Zeros(new Shape(maxPos, headDim / 2));
        RopeTables.Build(invFreq, maxPos, cos.AsSpan(), sin.AsSpan());
        int[] positions = perTokenPositions ? [0, 1, 2, 5, 6, 7] : [3, 4, 5];
        GradCheck.Check((t, x) => t.Rope(x[0], positions, cos, sin), [new Shape(2, 3, 2, headDim)]);
    }
}
