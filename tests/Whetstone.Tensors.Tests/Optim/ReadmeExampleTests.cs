using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Optim;

namespace Whetstone.Tensors.Tests.Optim;

/// <summary>The training loop shown in docs/readme-autograd.md, kept compiling and learning.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void ReadmeLoopTrains()
    {
        float first = 0, last = 0;
        // --- begin readme example ---
        var rng = new Rng(seed: 42);
        var ps = new ParameterSet();
        var w1 = ps.Add("w1", Tensor.RandomNormal(new Shape(32, 8), rng, std: 0.3f));   // (hidden, in)
        var w2 = ps.Add("w2", Tensor.RandomNormal(new Shape(4, 32), rng, std: 0.2f));   // (classes, hidden)
        var x = Tensor.RandomNormal(new Shape(16, 8), rng);                              // (batch, in)
        int[] labels = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3];
        var opt = new AdamW(ps, new AdamWOptions { WeightDecay = 0.01f });
        var schedule = LearningRateSchedule.WarmupCosine(peak: 1e-2f, warmupSteps: 10, totalSteps: 200);
        using var tape = new Tape();
        for (int step = 0; step < 200; step++)
        {
            var logits = tape.MatMul(tape.Silu(tape.MatMul(x, w1, transposeB: true)), w2, transposeB: true);
            var loss = tape.CrossEntropy(logits, labels);                                // mean over tokens
            tape.Backward(loss);
            GradientClipping.ClipByGlobalNorm(ps, maxNorm: 1.0);
            opt.LearningRate = schedule.At(step);
            opt.Step();
            ps.ZeroGrad();
            if (step == 0) first = loss[0];
            last = loss[0];
            tape.Reset();                                                                // recycles every activation
        }
        // --- end readme example ---
        Assert.True(last < 0.5f * first, $"loss {first} → {last}");
    }
}
