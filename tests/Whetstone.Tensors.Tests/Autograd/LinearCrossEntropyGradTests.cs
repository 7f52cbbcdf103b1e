using Whetstone.Tensors.Autograd;

namespace Whetstone.Tensors.Tests.Autograd;

/// <summary><see cref="Tape.LinearCrossEntropy"/> against the materialised WeightedCrossEntropy(MatMul(hidden, Wᵀ)).</summary>
public class LinearCrossEntropyGradTests
{
    private static (int[] Targets, float[] Weights) Labels(int rows, int vocab, ulong seed)
    {
        var rng = new Rng(seed);
        var targets = new int[rows];
        var weights = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            targets[r] = rng.NextInt(vocab);
            weights[r] = r % 5 == 0 ? 0f : 0.5f + rng.NextFloat();   // some masked rows, some uneven weights
        }
        return (targets, weights);
    }

    [Theory]
    [InlineData(7, 11, 5, LossReduction.Mean)]
    [InlineData(300, 37, 9, LossReduction.Mean)]
    [InlineData(300, 37, 9, LossReduction.Sum)]
    public void Loss_and_hidden_gradient_equal_the_materialised_path(int rows, int vocab, int width, LossReduction reduction)
    {
        Check(rows, vocab, width, reduction, Tape.LinearCrossEntropyChunkBytes);
        Check(rows, vocab, width, reduction, chunkBytes: 16 * vocab * sizeof(float));   // 16-row chunks: many boundaries
    }

    private static void Check(int rows, int vocab, int width, LossReduction reduction, long chunkBytes)
    {
        var rng = new Rng(31);
        using var hidden = Tensor.RandomNormal(new Shape(rows, width), rng);
        using var weight = Tensor.RandomNormal(new Shape(vocab, width), rng, 0.5f);
        var (targets, weights) = Labels(rows, vocab, 32);
        hidden.RequiresGrad = true;

        (float Loss, float[] Grad) Run(bool fused)
        {
            hidden.ZeroGrad();
            using var tape = new Tape();
            var loss = fused
                ? tape.LinearCrossEntropyChunked(hidden, weight, targets, weights, reduction, chunkBytes)
                : tape.WeightedCrossEntropy(tape.MatMul(hidden, weight, transposeB: true), targets, weights, reduction);
            float value = loss[0];
            tape.Backward(loss);
            return (value, hidden.Grad!.ToArray());
        }

        var reference = Run(fused: false);
        var fusedRun = Run(fused: true);
        Assert.Equal(reference.Loss, fusedRun.Loss, 4);
        for (int i = 0; i < reference.Grad.Length; i++)
            Assert.True(Math.Abs(reference.Grad[i] - fusedRun.Grad[i]) <= 1e-6f + 1e-4f * Math.Abs(reference.Grad[i]),
                $"element {i}: materialised {reference.Grad[i]}, fused {fusedRun.Grad[i]}");
    }

    [Fact]
    public void Hidden_gradient_matches_finite_differences()
    {
        var (targets, weights) = Labels(6, 13, 33);
        GradCheck.Check((t, x) => t.LinearCrossEntropy(x[0], x[1], targets, weights),
            [new Shape(2, 3, 4), new Shape(13, 4)], differentiable: [true, false]);
    }

    [Fact]
    public void A_trainable_weight_falls_back_to_the_materialised_path_and_gets_its_gradient()
    {
        var (targets, weights) = Labels(6, 13, 34);
        GradCheck.Check((t, x) => t.LinearCrossEntropy(x[0], x[1], targets, weights, LossReduction.Sum),
            [new Shape(6, 4), new Shape(13, 4)]);
    }

    [Fact]
    public void Holds_no_rows_by_vocab_buffer_on_the_tape()
    {
        const int rows = 256, vocab = 3000, width = 8;   // 64-row chunks of logits against all 256 rows
        var rng = new Rng(35);
        using var hidden = Tensor.RandomNormal(new Shape(rows, width), rng);
        using var weight = Tensor.RandomNormal(new Shape(vocab, width), rng);
        hidden.RequiresGrad = true;
        var (targets, weights) = Labels(rows, vocab, 36);
        long Peak(bool fused)
        {
            using var tape = new Tape();
            var loss = fused
                ? tape.LinearCrossEntropyChunked(hidden, weight, targets, weights, LossReduction.Mean, chunkBytes: 64 * vocab * sizeof(float))
                : tape.WeightedCrossEntropy(tape.MatMul(hidden, weight, transposeB: true), targets, weights);
            tape.Backward(loss);
            return tape.PeakBytesInUse;
        }
        long fusedPeak = Peak(fused: true), materialised = Peak(fused: false);
        Assert.True(fusedPeak < materialised / 3, $"fused {fusedPeak} B, materialised {materialised} B");
    }

    [Fact]
    public void All_rows_masked_gives_zero_loss_and_zero_gradient()
    {
        var rng = new Rng(37);
        using var hidden = Tensor.RandomNormal(new Shape(4, 3), rng);
        using var weight = Tensor.RandomNormal(new Shape(5, 3), rng);
        hidden.RequiresGrad = true;
        using var tape = new Tape();
        var loss = tape.LinearCrossEntropy(hidden, weight, new int[4], new float[4]);
        tape.Backward(loss);
        Assert.Equal(0f, loss[0]);
        Assert.All(hidden.Grad!.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void A_weighted_row_with_an_out_of_range_target_is_named()
    {
        using var tape = new Tape();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            tape.LinearCrossEntropy(Tensor.Zeros(new Shape(2, 3)), Tensor.Zeros(new Shape(5, 3)), new[] { 1, 9 }, new[] { 1f, 1f }));
        Assert.Contains("row 1", e.Message);
    }
}
