using Whetstone.Tensors.Autograd;

namespace Whetstone.Tensors.Tests.Optim;

public class MlpTrainingTests
{
    [Fact]
    public void LossGoesDown()
    {
        using var mlp = new TinyMlp(seed: 1);
        float first = mlp.Step();
        float last = first;
        for (int i = 0; i < 99; i++) last = mlp.Step();
        Assert.True(last < 0.5f * first, $"loss went from {first} to {last}");
    }

    [Fact]
    public void SameSeed_BitIdenticalTraining()
    {
        var (lossesA, weightsA) = Train(seed: 7);
        var (lossesB, weightsB) = Train(seed: 7);
        Assert.Equal(lossesA, lossesB);
        Assert.Equal(weightsA, weightsB);
        var (lossesC, _) = Train(seed: 8);
        Assert.NotEqual(lossesA, lossesC);

        static (float[] losses, float[][] weights) Train(ulong seed)
        {
            using var mlp = new TinyMlp(seed);
            var losses = new float[20];
            for (int i = 0; i < losses.Length; i++) losses[i] = mlp.Step();
            var weights = new float[mlp.Parameters.Count][];
            for (int i = 0; i < weights.Length; i++) weights[i] = mlp.Parameters[i].Value.ToArray();
            return (losses, weights);
        }
    }

    [Fact]
    public void SteadyStateTrainingAllocatesUnder1KBPerStep()
    {
        using var mlp = new TinyMlp(seed: 3);
        for (int i = 0; i < 5; i++) mlp.Step(); // warm-up: pools fill, gradients and JIT settle
        const int Steps = 100;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Steps; i++) mlp.Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / Steps;
        Assert.True(perStep < 1024, $"{perStep} bytes allocated per training step");
    }

    [Fact]
    public void GradientAccumulation_TwoHalvesEqualOneBatch()
    {
        using var mlp = new TinyMlp(seed: 5);
        var tape = mlp.Tape;

        mlp.Parameters.ZeroGrad();
        tape.Backward(mlp.Loss(mlp.X, mlp.Targets));
        tape.Reset();
        var full = Snapshot(mlp.Parameters);

        // Two micro-batches of 8 rows, each summed and divided by the full batch's 16 tokens.
        mlp.Parameters.ZeroGrad();
        int half = mlp.Batch / 2;
        for (int part = 0; part < 2; part++)
        {
            var x = tape.NewTensor(new Shape(half, TinyMlp.In));
            mlp.X.AsSpan().Slice(part * half * TinyMlp.In, half * TinyMlp.In).CopyTo(x.AsSpan());
            var loss = tape.Scale(mlp.Loss(x, mlp.Targets.AsMemory(part * half, half), LossReduction.Sum), 1f / mlp.Batch);
            tape.Backward(loss);
            tape.Reset();
        }
        var accumulated = Snapshot(mlp.Parameters);
        for (int p = 0; p < full.Length; p++)
            for (int i = 0; i < full[p].Length; i++)
                Assert.Equal(full[p][i], accumulated[p][i], 5);
    }

    private static float[][] Snapshot(ParameterSet ps)
    {
        var r = new float[ps.Count][];
        for (int i = 0; i < ps.Count; i++) r[i] = ps[i].Grad!.ToArray();
        return r;
    }
}
