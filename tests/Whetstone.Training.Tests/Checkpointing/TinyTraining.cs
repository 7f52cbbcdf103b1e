using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Optim;
using Whetstone.Training.Checkpointing;

namespace Whetstone.Training.Tests.Checkpointing;

/// <summary>A two-layer MLP with AdamW and two registered RNGs, trained in-process for the checkpoint tests.</summary>
internal sealed class TinyTraining : IDisposable
{
    private readonly Tape _tape = new();
    private readonly Tensor _x;
    private readonly int[] _labels = [0, 1, 2, 0, 1, 2];

    public TinyTraining(ulong seed = 1, int hidden = 6)
    {
        var init = new Rng(seed);
        Parameters = new ParameterSet();
        W1 = Parameters.Add("model.up.weight", Tensor.RandomNormal(new Shape(hidden, 4), init, std: 0.5f));
        Parameters.Add("model.up.bias", Tensor.Zeros(new Shape(hidden)), applyWeightDecay: false);
        Parameters.Add("lm_head.weight", Tensor.RandomNormal(new Shape(3, hidden), init, std: 0.5f));
        Optimizer = new AdamW(Parameters, new AdamWOptions { LearningRate = 0.05f, WeightDecay = 0.1f });
        Noise = new Rng(seed + 100);
        Sampling = new Rng(seed + 200);
        State = new TrainingState(Parameters, Optimizer).AddRng("noise", Noise).AddRng("sampling", Sampling);
        _x = Tensor.RandomNormal(new Shape(6, 4), new Rng(77));
    }

    public ParameterSet Parameters { get; }
    public Tensor W1 { get; }
    public AdamW Optimizer { get; }
    public Rng Noise { get; }
    public Rng Sampling { get; }
    public TrainingState State { get; }

    /// <summary>Steps completed by this object's <see cref="Step"/> calls or restored by a resume.</summary>
    public long StepsDone { get; set; }

    /// <summary>When set, the input batch is filled with this value (NaN to simulate a poisoned batch).</summary>
    public float? PoisonInput { get; set; }

    /// <summary>One training step; returns the loss.</summary>
    public float Step()
    {
        var xb = _x.Clone();
        var span = xb.AsSpan();
        for (int i = 0; i < span.Length; i++) span[i] = PoisonInput ?? span[i] + 0.1f * (float)Noise.NextNormal();
        Sampling.NextUInt64();
        var h = _tape.Silu(_tape.Linear(xb, Parameters[0].Value, Parameters[1].Value));
        var loss = _tape.CrossEntropy(_tape.MatMul(h, Parameters[2].Value, transposeB: true), _labels);
        _tape.Backward(loss);
        float value = loss[0];
        NonFiniteGuard.CheckLoss(StepsDone + 1, value);
        GradientClipping.ClipByGlobalNorm(Parameters, 1.0);
        Optimizer.LearningRate = 0.05f / (1 + StepsDone);
        Optimizer.Step();
        Parameters.ZeroGrad();
        _tape.Reset();
        xb.Dispose();
        StepsDone++;
        return value;
    }

    public void Steps(int n)
    {
        for (int i = 0; i < n; i++) Step();
    }

    public void Dispose()
    {
        _tape.Dispose();
        _x.Dispose();
        foreach (var p in Parameters) p.Value.Dispose();
    }
}

/// <summary>A temporary folder deleted at the end of a test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "whet-ckpt-" + Guid.NewGuid().ToString("N")));

    public string Path { get; }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
