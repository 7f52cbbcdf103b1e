using Whetstone.Tensors.Autograd;

namespace Whetstone.Tensors.Tests.Autograd;

public class LossReductionGradTests
{
    private static readonly int[] Targets = [1, -100, 4, 0, -100, 2];

    [Fact]
    public void CrossEntropy_MeanIgnoresMaskedRows() =>
        GradCheck.Check((t, x) => t.CrossEntropy(x[0], Targets), [new Shape(2, 3, 5)]);

    [Fact]
    public void CrossEntropy_Sum() =>
        GradCheck.Check((t, x) => t.CrossEntropy(x[0], Targets, reduction: LossReduction.Sum), [new Shape(6, 5)]);

    [Fact]
    public void CrossEntropy_ValueMatchesHandComputation()
    {
        using var logits = Tensor.FromArray([1, 2, 3, 0, 0, 0, 5, 1, 1], new Shape(3, 3));
        using var tape = new Tape();
        var loss = tape.CrossEntropy(logits, new[] { 2, -100, 0 });
        double row0 = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)) - 3;
        double row2 = Math.Log(Math.Exp(5) + 2 * Math.Exp(1)) - 5;
        Assert.Equal((row0 + row2) / 2, loss[0], 5);
        Assert.Equal(row0 + row2, tape.CrossEntropy(logits, new[] { 2, -100, 0 }, reduction: LossReduction.Sum)[0], 5);
    }

    [Fact]
    public void WeightedCrossEntropy_MeanAndSum()
    {
        int[] targets = [1, 3, 4, 0];
        float[] weights = [1f, 0f, 0.5f, 2f];
        GradCheck.Check((t, x) => t.WeightedCrossEntropy(x[0], targets, weights), [new Shape(4, 5)]);
        GradCheck.Check((t, x) => t.WeightedCrossEntropy(x[0], targets, weights, LossReduction.Sum), [new Shape(4, 5)]);
    }

    [Fact]
    public void WeightedCrossEntropy_WithUnitWeightsEqualsCrossEntropy()
    {
        var rng = new Rng(11);
        using var logits = Tensor.RandomNormal(new Shape(4, 7), rng);
        int[] targets = [1, 6, 0, 3];
        using var tape = new Tape();
        Assert.Equal(tape.CrossEntropy(logits, targets)[0], tape.WeightedCrossEntropy(logits, targets, new float[] { 1, 1, 1, 1 })[0], 5);
    }

    [Fact]
    public void TokenLogProbs() => GradCheck.Check((t, x) => t.TokenLogProbs(x[0], new[] { 0, 3, 2, 1, 4, 4 }), [new Shape(2, 3, 5)]);

    [Fact]
    public void Entropy() => GradCheck.Check((t, x) => t.Entropy(x[0]), [new Shape(3, 6)]);

    [Fact] public void Sum() => GradCheck.Check((t, x) => t.Sum(x[0]), [new Shape(2, 3, 4)]);

    [Fact] public void Mean() => GradCheck.Check((t, x) => t.Mean(x[0]), [new Shape(2, 3, 4)]);

    [Fact] public void SumLastAxis() => GradCheck.Check((t, x) => t.SumLastAxis(x[0]), [new Shape(2, 3, 4)]);

    [Fact] public void MeanLastAxis() => GradCheck.Check((t, x) => t.MeanLastAxis(x[0]), [new Shape(3, 4)]);
}
