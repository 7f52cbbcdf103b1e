using Whetstone.Agents.Environments;
using Whetstone.Training.Dpo;
using Whetstone.Training.Tests.Sft;
using Whetstone.Training.Sft;
using Whetstone.Training.Tests.RejectionSampling;
using Xunit.Abstractions;

namespace Whetstone.Training.Tests.Dpo;

[Collection("weak calc start")]
public sealed class DpoLearningTests(WeakCalcStart start, ITestOutputHelper output)
{
    [Fact]
    public async Task Dpo_on_expert_vs_failure_pairs_raises_held_out_margin_and_accuracy()
    {
        using var model = start.CopyModel();
        var c = start.Start.Corpus;
        int trainTasks = WeakCalcStart.Int("WHET_DPO_TASKS", 60), heldOutTasks = 20;
        var tasks = c.Factory.Tasks(DataSplit.Train, trainTasks + heldOutTasks);
        // Policy samples of the SFT start (temperature 1) → failures; the expert's episode of the same task → chosen.
        var sampler = new CalcStart.Sampler(model, c);
        var sampled = await sampler.SampleAsync(tasks, k: 2, seed: 5);
        var expert = c.Train.Where(t => tasks.Any(x => x.Id == t.TaskId)).ToList();
        var trainIds = tasks.Take(trainTasks).Select(t => t.Id).ToHashSet();
        var pairs = PreferencePairs.Build(sampled.Where(t => trainIds.Contains(t.TaskId!)), expert, maxPairsPerTask: 2);
        var heldOut = PreferencePairs.Build(sampled.Where(t => !trainIds.Contains(t.TaskId!)), expert, maxPairsPerTask: 1);

        using var trainer = new DpoTrainer(model, c.Chat, new DpoConfig
        {
            // β 2: at 0.1 the log-ratios run away on these tiny models (docs/rft-dpo.md, sessions 4 and 5).
            MaxSteps = WeakCalcStart.Int("WHET_DPO_STEPS", 30), PairsPerMicroBatch = 4, LearningRate = 1e-4f, WarmupSteps = 2, Beta = 2f,
            RpoAlpha = WeakCalcStart.Int("WHET_DPO_RPO", 1), Seed = 3, OutputDir = Environment.GetEnvironmentVariable("WHET_DPO_OUT"),
        });
        var heldOutTokens = trainer.Tokenize(heldOut);
        var before = trainer.Evaluate(heldOutTokens);
        var result = trainer.Train(pairs);
        var after = trainer.Evaluate(heldOutTokens);
        var eval = await new CalcStart.Sampler(model, c).EvaluateAsync(start.EvalTasks);

        var lines = new List<string>
        {
            $"weak SFT start ({start.SftSteps} steps): held-out success {CalcStart.Describe(start.Baseline)}",
            $"pairs: {pairs.Count} train, {heldOut.Count} held-out; {result.Steps} DPO steps in {result.ElapsedSeconds:F1} s, " +
            $"train loss {result.StepLosses[0]:F4} → {result.StepLosses[^1]:F4}",
            $"held-out pairs: loss {before.Loss:F4} → {after.Loss:F4}, margin {before.Metrics.RewardMargin:F3} → {after.Metrics.RewardMargin:F3}, " +
            $"accuracy {before.Metrics.RewardAccuracy:F3} → {after.Metrics.RewardAccuracy:F3}, chosen reward {after.Metrics.ChosenReward:F3}, rejected {after.Metrics.RejectedReward:F3}",
            $"after DPO: held-out success {CalcStart.Describe(eval)}",
        };
        foreach (var l in lines) { output.WriteLine(l); Console.Error.WriteLine("DPO " + l); }

        Assert.True(heldOut.Count >= 5, string.Join("\n", lines));
        Assert.True(after.Metrics.RewardMargin > before.Metrics.RewardMargin, string.Join("\n", lines));
        Assert.True(after.Metrics.RewardAccuracy > 0.5, string.Join("\n", lines));
        // Not worse than the SFT start, up to evaluation noise (the 95% interval reaches the start's rate).
        Assert.True(eval.SuccessInterval.High >= start.Baseline.SuccessRate, string.Join("\n", lines));
    }

    /// <summary>
    /// The comparison of the docs (WHET_LONG_TESTS=1): from the same weak SFT start and the same pairs, (a) nothing,
    /// (b) SFT alone on the pairs' chosen (expert) trajectories, (c) plain DPO, (d) DPO + RPO α = 1 — same steps,
    /// pairs/sequences per step and learning rate — each evaluated greedily on the held-out tasks.
    /// </summary>
    [LongRunFact]
    public async Task Dpo_versus_sft_alone_from_the_same_start()
    {
        var c = start.Start.Corpus;
        int steps = WeakCalcStart.Int("WHET_DPO_STEPS", 30), trainTasks = WeakCalcStart.Int("WHET_DPO_TASKS", 60);
        var tasks = c.Factory.Tasks(DataSplit.Train, trainTasks);
        var sampled = await start.Start.SampleAsync(tasks, k: 2, seed: 5);
        var expert = c.Train.Where(t => tasks.Any(x => x.Id == t.TaskId)).ToList();
        var pairs = PreferencePairs.Build(sampled, expert, maxPairsPerTask: 2);
        var chosen = pairs.Select(p => p.Chosen).Distinct().ToList();
        var lines = new List<string> { $"start ({start.SftSteps} SFT steps): {CalcStart.Describe(start.Baseline)}; {pairs.Count} pairs over {trainTasks} tasks, {chosen.Count} distinct chosen" };

        using (var sftModel = start.CopyModel())
        {
            new SftTrainer(sftModel, c.Chat, new SftConfig
            {
                MaxSteps = steps, LearningRate = 2e-4f, WarmupSteps = 2, MaxSequencesPerMicroBatch = 4, MaxTokensPerMicroBatch = 1 << 16, Seed = 3,
            }).Train(chosen);
            lines.Add($"SFT alone on the chosen, {steps} steps × 4: {CalcStart.Describe(await new CalcStart.Sampler(sftModel, c).EvaluateAsync(start.EvalTasks))}");
        }
        foreach (int rpo in new[] { 0, 1 })
        {
            using var model = start.CopyModel();
            using var trainer = new DpoTrainer(model, c.Chat, new DpoConfig
            {
                MaxSteps = steps, PairsPerMicroBatch = 4, LearningRate = 2e-4f, WarmupSteps = 2, Beta = 0.1f, RpoAlpha = rpo, Seed = 3,
            });
            var r = trainer.Train(pairs);
            lines.Add($"DPO (RPO α = {rpo}), {steps} steps × 4 pairs, final train margin {r.StepMetrics[^1].RewardMargin:F3}: " +
                      CalcStart.Describe(await new CalcStart.Sampler(model, c).EvaluateAsync(start.EvalTasks)));
        }
        foreach (var l in lines) { output.WriteLine(l); Console.Error.WriteLine("CMP " + l); }
    }
}
