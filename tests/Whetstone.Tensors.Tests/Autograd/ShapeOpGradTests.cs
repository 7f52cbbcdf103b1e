using Whetstone.Tensors.Autograd;

namespace Whetstone.Tensors.Tests.Autograd;

public class ShapeOpGradTests
{
    [Fact]
    public void Reshape_IsAViewAndPassesGradients()
    {
        using var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], new Shape(2, 3));
        using var tape = new Tape();
        var v = tape.Reshape(x, new Shape(3, 2));
        Assert.True(v.IsView);
        x[0, 1] = 42;
        Assert.Equal(42, v[0, 1]);
        // Scaling makes the path non-trivial: y = 2·reshape(x).
        GradCheck.Check((t, i) => t.Scale(t.Reshape(i[0], new Shape(3, 4)), 2f), [new Shape(2, 6)]);
    }

    [Fact]
    public void SwapAxes12_PermutesAndBackpropagates()
    {
        using var x = Tensor.Zeros(new Shape(1, 2, 3, 2));
        for (int i = 0; i < x.Count; i++) x[i] = i;
        using var tape = new Tape();
        var y = tape.SwapAxes12(x);
        Assert.Equal(new Shape(1, 3, 2, 2), y.Shape);
        Assert.Equal(x[0, 1, 2, 1], y[0, 2, 1, 1]);
        GradCheck.Check((t, i) => t.SwapAxes12(i[0]), [new Shape(2, 3, 4, 2)]);
    }

    [Fact]
    public void SplitAndMergeHeads_RoundTrip()
    {
        var rng = new Rng(5);
        using var x = Tensor.RandomNormal(new Shape(2, 3, 8), rng);
        using var tape = new Tape();
        var heads = tape.SplitHeads(x, 4);
        Assert.Equal(new Shape(2, 4, 3, 2), heads.Shape);
        Assert.Equal(x[1, 2, 5], heads[1, 2, 2, 1]); // feature 5 = head 2, dim 1
        Assert.Equal(x.ToArray(), tape.MergeHeads(heads).ToArray());
        GradCheck.Check((t, i) => t.MergeHeads(t.SplitHeads(i[0], 2)), [new Shape(2, 3, 4)]);
    }

    [Fact]
    public void Transpose_LastTwoDims()
    {
        using var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], new Shape(2, 3));
        using var tape = new Tape();
        var y = tape.Transpose(x);
        Assert.Equal(new Shape(3, 2), y.Shape);
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, y.ToArray());
        GradCheck.Check((t, i) => t.Transpose(i[0]), [new Shape(2, 3, 4)]);
    }

    [Fact]
    public void SliceAndConcat_Backpropagate()
    {
        using var a = Tensor.FromArray([1, 2, 3, 4], new Shape(2, 2));
        using var b = Tensor.FromArray([5, 6], new Shape(2, 1));
        using var tape = new Tape();
        var c = tape.Concat(a, b);
        Assert.Equal(new float[] { 1, 2, 5, 3, 4, 6 }, c.ToArray());
        Assert.Equal(new float[] { 2, 5, 4, 6 }, tape.Slice(c, 1, 2).ToArray());
        GradCheck.Check((t, i) => t.Slice(i[0], 1, 3), [new Shape(3, 5)]);
        GradCheck.Check((t, i) => t.Concat(i[0], i[1]), [new Shape(2, 3), new Shape(2, 2)]);
    }
}
