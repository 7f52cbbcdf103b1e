using Whetstone.Agents.Environments;
using Whetstone.Training.Data;
using Whetstone.Training.RejectionSampling;
using Whetstone.Training.Sft;
using Xunit.Abstractions;

namespace Whetstone.Training.Tests.RejectionSampling;

[Collection("weak calc start")]
public sealed class RftLearningTests(WeakCalcStart start, ITestOutputHelper output)
{
    [Fact]
    public async Task Rounds_from_a_weak_sft_start_keep_successes_and_do_not_degrade_held_out_success()
    {
        using var model = start.CopyModel();
        var c = start.Start.Corpus;
        var config = new RftConfig
        {
            Rounds = WeakCalcStart.Int("WHET_RFT_ROUNDS", 2), SamplesPerTask = 4, Temperature = 1f, MaxTurns = 6,
            MaxTokensPerTurn = 64, MaxGeneratedTokens = 400, EvalTasks = start.EvalTasks, Seed = 11,
            Sft = new SftConfig { MaxSteps = WeakCalcStart.Int("WHET_RFT_SFT_STEPS", 20), LearningRate = 1e-3f, WarmupSteps = 2, MaxSequencesPerMicroBatch = 8, MaxTokensPerMicroBatch = 1 << 16 },
            OutputDir = Environment.GetEnvironmentVariable("WHET_RFT_OUT"), ShowProgress = true,
        };
        var trainer = new RftTrainer(model, c.Chat, c.Factory, config);
        var result = await trainer.RunAsync(c.Factory.Tasks(DataSplit.Train, WeakCalcStart.Int("WHET_RFT_TASKS", 60)));

        string Line(string name, Whetstone.Agents.Evaluation.EvaluationReport r) => $"{name}: {CalcStart.Describe(r)}";
        var lines = new List<string> { $"weak SFT start ({start.SftSteps} steps): " + Line("held-out", start.Baseline) };
        foreach (var r in result.Rounds)
            lines.Add($"round {r.Round}: sampled {r.Sampled}, solved {r.Successes} ({r.TasksSolved} tasks), kept {r.Kept}, " +
                      $"trained on {r.DatasetSize} for {r.SftSteps} steps, loss {r.FinalLoss:F4}; " + Line("held-out", r.Eval!));
        foreach (var l in lines) { output.WriteLine(l); Console.Error.WriteLine("RFT " + l); }

        Assert.Equal(start.Baseline.Successes, result.Baseline!.Successes);      // the copy starts where the fixture is
        Assert.NotEmpty(result.Kept);
        Assert.All(result.Kept, t => Assert.True(t.Success));
        // "Does not degrade": the final held-out success is at least the start's, up to the noise of the evaluation:
        // its 95% interval must reach the start's rate.
        var last = result.Rounds[^1].Eval!;
        Assert.True(last.SuccessInterval.High >= start.Baseline.SuccessRate, string.Join("\n", lines));
    }
}
