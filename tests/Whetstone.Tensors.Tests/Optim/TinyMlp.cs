using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Optim;

namespace Whetstone.Tensors.Tests.Optim;

/// <summary>
/// A two-layer classifier trained with AdamW: logits = W2·rmsnorm(silu(W1·x + b1)) + b2, on a fixed synthetic
/// data set whose labels come from a random "teacher" projection (so they are learnable).
/// </summary>
internal sealed class TinyMlp : IDisposable
{
    public const int In = 8, Classes = 4;
    public readonly int Batch, Hidden;

    public readonly ParameterSet Parameters = new();
    public readonly Tape Tape = new();
    public readonly AdamW Optimizer;
    public readonly LearningRateSchedule Schedule = LearningRateSchedule.WarmupCosine(2e-2f, warmupSteps: 5, totalSteps: 200, minLrRatio: 0.1f);
    public readonly Tensor X;
    public readonly int[] Targets;
    private readonly Tensor _w1, _b1, _g, _w2, _b2;

    public TinyMlp(ulong seed, int batch = 16, int hidden = 32)
    {
        (Batch, Hidden) = (batch, hidden);
        Targets = new int[batch];
        var rng = new Rng(seed);
        _w1 = Parameters.Add("w1", Tensor.RandomNormal(new Shape(Hidden, In), rng, std: 0.3f));
        _b1 = Parameters.Add("b1", Tensor.Zeros(new Shape(Hidden)), applyWeightDecay: false);
        _g = Parameters.Add("norm", Tensor.Full(new Shape(Hidden), 1f), applyWeightDecay: false);
        _w2 = Parameters.Add("w2", Tensor.RandomNormal(new Shape(Classes, Hidden), rng, std: 0.2f));
        _b2 = Parameters.Add("b2", Tensor.Zeros(new Shape(Classes)), applyWeightDecay: false);
        Optimizer = new AdamW(Parameters, new AdamWOptions { WeightDecay = 0.01f });

        X = Tensor.RandomNormal(new Shape(Batch, In), rng);
        using var teacher = Tensor.RandomNormal(new Shape(Classes, In), rng);
        for (int r = 0; r < Batch; r++)
        {
            int best = 0;
            float bestScore = float.NegativeInfinity;
            for (int c = 0; c < Classes; c++)
            {
                float s = 0;
                for (int i = 0; i < In; i++) s += teacher[c, i] * X[r, i];
                if (s > bestScore) (best, bestScore) = (c, s);
            }
            Targets[r] = best;
        }
    }

    /// <summary>Forward pass on rows [start, start + count) of the batch → loss (sum or mean of cross-entropy).</summary>
    public Tensor Loss(Tensor x, ReadOnlyMemory<int> targets, LossReduction reduction = LossReduction.Mean)
    {
        var h = Tape.Silu(Tape.AddBias(Tape.MatMul(x, _w1, transposeB: true), _b1));
        var logits = Tape.AddBias(Tape.MatMul(Tape.RmsNorm(h, _g), _w2, transposeB: true), _b2);
        return Tape.CrossEntropy(logits, targets, reduction: reduction);
    }

    /// <summary>One full optimizer step; returns the loss before the update.</summary>
    public float Step()
    {
        Parameters.ZeroGrad();
        var loss = Loss(X, Targets);
        float value = loss[0];
        Tape.Backward(loss);
        GradientClipping.ClipByGlobalNorm(Parameters, 1.0);
        Optimizer.LearningRate = Schedule.At(Optimizer.StepCount);
        Optimizer.Step();
        Tape.Reset();
        return value;
    }

    public void Dispose()
    {
        Tape.Dispose();
        X.Dispose();
        foreach (var p in Parameters) p.Value.Dispose();
    }
}
