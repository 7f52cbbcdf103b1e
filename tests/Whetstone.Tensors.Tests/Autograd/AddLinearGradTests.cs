using Whetstone.Tensors.Autograd;

namespace Whetstone.Tensors.Tests.Autograd;

public class AddLinearGradTests
{
    /// <summary>The unfused reference: residual + alpha·x·Wᵀ as Add(residual, Scale(Linear)).</summary>
    private static float[] Unfused(Tensor residual, Tensor x, Tensor w, float alpha)
    {
        using var tape = new Tape();
        return tape.Add(residual, tape.Scale(tape.Linear(x, w), alpha)).ToArray();
    }

    [Fact]
    public void AddLinear_matches_the_unfused_ops()
    {
        var rng = new Rng(3);
        using var residual = Tensor.RandomNormal(new Shape(2, 3, 4), rng);
        using var x = Tensor.RandomNormal(new Shape(2, 3, 5), rng);
        using var w = Tensor.RandomNormal(new Shape(4, 5), rng);
        using var tape = new Tape();
        var fused = tape.AddLinear(residual, x, w, 0.7f).ToArray();
        var reference = Unfused(residual, x, w, 0.7f);
        for (int i = 0; i < fused.Length; i++) Assert.Equal(reference[i], fused[i], 5);
    }

    [Fact]
    public void AddLinear_gradients_match_finite_differences()
    {
        GradCheck.Check((t, x) => t.AddLinear(x[0], x[1], x[2], 0.5f), [new Shape(2, 3, 4), new Shape(2, 3, 5), new Shape(4, 5)]);
    }

    [Fact]
    public void AccumulateLinear_on_a_fresh_product_works_in_place_and_its_gradients_match_finite_differences()
    {
        // accumulator = x0·W0ᵀ (fresh), then += 2·h·Bᵀ: the LoRA shape.
        GradCheck.Check((t, x) =>
        {
            var acc = t.Linear(x[0], x[1]);
            var y = t.AccumulateLinear(acc, x[2], x[3], 2f);
            Assert.True(y.IsView, "a fresh product should be accumulated into in place");
            return y;
        }, [new Shape(3, 5), new Shape(4, 5), new Shape(3, 2), new Shape(4, 2)]);
    }

    [Fact]
    public void AccumulateLinear_in_place_gives_the_same_values_as_AddLinear()
    {
        var rng = new Rng(4);
        using var x0 = Tensor.RandomNormal(new Shape(6, 5), rng);
        using var w0 = Tensor.RandomNormal(new Shape(4, 5), rng);
        using var h = Tensor.RandomNormal(new Shape(6, 3), rng);
        using var b = Tensor.RandomNormal(new Shape(4, 3), rng);
        using var tape = new Tape();
        var copied = tape.AddLinear(tape.Linear(x0, w0), h, b, 1.5f).ToArray();
        var inPlace = tape.AccumulateLinear(tape.Linear(x0, w0), h, b, 1.5f);
        Assert.True(inPlace.IsView);
        Assert.Equal(copied, inPlace.ToArray());
    }

    [Fact]
    public void AccumulateLinear_copies_when_a_recorded_op_still_reads_the_accumulator()
    {
        // Silu's backward reads its input: overwriting acc would corrupt it, so the tape must copy.
        GradCheck.Check((t, x) =>
        {
            var acc = t.Linear(x[0], x[1]);
            var s = t.Silu(acc);
            var y = t.AccumulateLinear(acc, x[2], x[3]);
            if (t.IsRecording) Assert.False(y.IsView);   // under NoGrad nothing reads it back: in place is fine
            return t.Add(s, y);
        }, [new Shape(3, 5), new Shape(4, 5), new Shape(3, 2), new Shape(4, 2)]);
    }

    [Fact]
    public void AccumulateLinear_copies_when_the_producer_reads_its_own_output()
    {
        // Softmax's backward reads its output P.
        GradCheck.Check((t, x) =>
        {
            var p = t.Softmax(x[0]);
            var y = t.AccumulateLinear(p, x[1], x[2]);
            if (t.IsRecording) Assert.False(y.IsView);
            return y;
        }, [new Shape(3, 4), new Shape(3, 2), new Shape(4, 2)]);
    }

    [Fact]
    public void AccumulateLinear_copies_a_leaf_the_caller_owns()
    {
        var rng = new Rng(6);
        using var leaf = Tensor.RandomNormal(new Shape(3, 4), rng);
        using var x = Tensor.RandomNormal(new Shape(3, 2), rng);
        using var w = Tensor.RandomNormal(new Shape(4, 2), rng);
        var before = leaf.ToArray();
        using var tape = new Tape();
        var y = tape.AccumulateLinear(leaf, x, w);
        Assert.Equal(before, leaf.ToArray());
        Assert.NotEqual(before, y.ToArray());
    }

    [Fact]
    public void AddLinear_names_the_mismatch()
    {
        using var tape = new Tape();
        var e = Assert.Throws<ArgumentException>(() => tape.AddLinear(Tensor.Zeros(new Shape(3, 4)), Tensor.Zeros(new Shape(3, 5)), Tensor.Zeros(new Shape(4, 6))));
        Assert.Contains("AddLinear", e.Message);
    }
}
