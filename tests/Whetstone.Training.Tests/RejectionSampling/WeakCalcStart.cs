using Whetstone.Agents.Evaluation;
using Whetstone.Models.Transformer;
using Whetstone.Training.Dpo;

namespace Whetstone.Training.Tests.RejectionSampling;

/// <summary>
/// One weak SFT start on calc shared by the RFT and DPO learning tests (trained once per test run): the SFT tests'
/// from-scratch setup cut short, so the model solves a few held-out tasks, not most. Each test trains a copy.
/// Sizes: WHET_WEAK_SFT_STEPS (default 200), WHET_WEAK_EVAL_TASKS (default 100).
/// </summary>
public sealed class WeakCalcStart : IDisposable
{
    public WeakCalcStart()
    {
        SftSteps = Int("WHET_WEAK_SFT_STEPS", 200);
        EvalTasks = Int("WHET_WEAK_EVAL_TASKS", 100);
        Start = new CalcStart(trainTasks: 400, vocabSize: 1024, hidden: 128, layers: 2, sftSteps: SftSteps, learningRate: 4e-3f);
        Baseline = Start.EvaluateAsync(EvalTasks).GetAwaiter().GetResult();
    }

    public int SftSteps { get; }

    public int EvalTasks { get; }

    public CalcStart Start { get; }

    /// <summary>Greedy held-out success of the SFT start.</summary>
    public EvaluationReport Baseline { get; }

    /// <summary>A trainable copy of the SFT start's weights.</summary>
    public TransformerModel CopyModel()
    {
        var copy = DpoTrainer.FrozenCopy(Start.Model);
        foreach (var p in copy.Parameters) p.Value.RequiresGrad = true;
        return copy;
    }

    public static int Int(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out var v) ? v : fallback;

    public void Dispose() => Start.Dispose();
}

[CollectionDefinition("weak calc start")]
public sealed class WeakCalcStartCollection : ICollectionFixture<WeakCalcStart>;
