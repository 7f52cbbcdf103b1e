using System.Text.Json.Nodes;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Trajectories;
using Whetstone.Training.Dpo;
using Whetstone.Training.Tests.RejectionSampling;

namespace Whetstone.Training.Tests.Dpo;

public sealed class DpoTrainerTests
{
    /// <summary>Expert (chosen) vs sampled failure (rejected) pairs on a tiny untrained calc model.</summary>
    private static async Task<(CalcStart Start, IReadOnlyList<PreferencePair> Pairs)> TinySetupAsync(int tasks = 4)
    {
        var start = new CalcStart(trainTasks: 40, vocabSize: 400, hidden: 32, layers: 1);
        var train = start.Factory.Tasks(DataSplit.Train, tasks);
        var sampled = await start.SampleAsync(train, k: 1, seed: 3, maxTokensPerTurn: 24);
        var expert = start.Corpus.Train.Where(t => train.Any(x => x.Id == t.TaskId)).ToList();
        return (start, PreferencePairs.Build(sampled, expert));
    }

    [Fact]
    public async Task With_policy_equal_to_reference_the_first_step_loss_is_log_2()
    {
        var (start, pairs) = await TinySetupAsync();
        using var _ = start;
        Assert.Equal(4, pairs.Count);
        using var trainer = new DpoTrainer(start.Model, start.Corpus.Chat, new DpoConfig { MaxSteps = 1, PairsPerMicroBatch = 4, LearningRate = 1e-3f });
        var result = trainer.Train(pairs);
        Assert.Equal(Math.Log(2), result.StepLosses[0], 5);
        Assert.Equal(0, result.StepMetrics[0].RewardMargin, 5);
        Assert.Equal(0, result.StepMetrics[0].RewardAccuracy);   // ties are not wins
    }

    [Fact]
    public async Task Two_micro_batches_of_two_pairs_take_the_same_step_as_one_of_four()
    {
        var (start, pairs) = await TinySetupAsync();
        using var _ = start;
        using var copy = DpoTrainer.FrozenCopy(start.Model);
        foreach (var p in copy.Parameters) p.Value.RequiresGrad = true;
        // A reference that differs from the policy, so the gradient is not the symmetric one of the first step.
        using var reference = DpoTrainer.FrozenCopy(start.Model);
        foreach (var p in reference.Parameters) { var s = p.Value.AsSpan(); for (int i = 0; i < s.Length; i++) s[i] *= 0.9f; }

        using var whole = new DpoTrainer(start.Model, start.Corpus.Chat, new DpoConfig { MaxSteps = 1, PairsPerMicroBatch = 4, LearningRate = 1e-3f, Beta = 0.5f, MaxGradNorm = 0 }, reference);
        using var split = new DpoTrainer(copy, start.Corpus.Chat, new DpoConfig { MaxSteps = 1, PairsPerMicroBatch = 2, GradientAccumulationSteps = 2, LearningRate = 1e-3f, Beta = 0.5f, MaxGradNorm = 0 }, reference);
        var a = whole.Train(pairs);
        var b = split.Train(pairs);
        Assert.Equal(a.StepLosses[0], b.StepLosses[0], 4);
        Assert.Equal(a.StepMetrics[0].RewardMargin, b.StepMetrics[0].RewardMargin, 4);
        // The step's gradient is still in Grad after the update (it is zeroed at the start of the next step). The rows
        // are padded to different lengths in the two layouts, so sums round differently: compare relative to the scale.
        for (int i = 0; i < start.Model.Parameters.Count; i++)
        {
            var x = start.Model.Parameters[i].Value.Grad!.AsSpan();
            var y = copy.Parameters[i].Value.Grad!.AsSpan();
            float scale = 0;
            foreach (var v in x) scale = Math.Max(scale, Math.Abs(v));
            Assert.True(scale > 0, start.Model.Parameters[i].Name);
            for (int j = 0; j < x.Length; j++)
                Assert.True(Math.Abs(x[j] - y[j]) <= 1e-3f * scale + 1e-7f, $"{start.Model.Parameters[i].Name}[{j}]: {x[j]} vs {y[j]}");
        }
    }

    [Fact]
    public async Task Training_raises_the_margin_and_writes_metrics_and_checkpoints()
    {
        var (start, pairs) = await TinySetupAsync();
        using var _ = start;
        var dir = Path.Combine(Path.GetTempPath(), $"whet-dpo-{Guid.NewGuid():N}");
        try
        {
            using var trainer = new DpoTrainer(start.Model, start.Corpus.Chat, new DpoConfig
            {
                OutputDir = dir, MaxSteps = 6, PairsPerMicroBatch = 2, LearningRate = 3e-3f, SaveEvery = 3, KeepLast = 1,
            });
            var tokenized = trainer.Tokenize(pairs);
            var before = trainer.Evaluate(tokenized);
            var result = trainer.Train(tokenized);
            var after = trainer.Evaluate(tokenized);
            Assert.Equal(0, before.Metrics.RewardMargin, 5);
            Assert.True(after.Metrics.RewardMargin > 0.1, $"margin {after.Metrics.RewardMargin}");
            Assert.Equal(1.0, after.Metrics.RewardAccuracy);
            Assert.True(after.Loss < Math.Log(2) - 0.05, $"loss {after.Loss}");

            var lines = File.ReadAllLines(Path.Combine(dir, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
            Assert.Equal(6, lines.Count);
            Assert.All(lines, l => Assert.NotNull(l["reward_accuracy"]));
            Assert.All(lines, l => Assert.NotNull(l["reward_margin"]));
            Assert.Equal("step-000006", File.ReadAllText(Path.Combine(dir, "checkpoints", "latest")).Trim());
            Assert.Equal(6, result.Steps);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task A_run_resumed_from_a_checkpoint_ends_with_the_weights_of_an_uninterrupted_run()
    {
        var (start, pairs) = await TinySetupAsync();
        using var _ = start;
        using var initial = DpoTrainer.FrozenCopy(start.Model);
        var dir = Path.Combine(Path.GetTempPath(), $"whet-dpo-resume-{Guid.NewGuid():N}");
        try
        {
            var config = new DpoConfig { OutputDir = dir, MaxSteps = 4, PairsPerMicroBatch = 2, LearningRate = 3e-3f, SaveEvery = 2, KeepLast = 2, Seed = 5 };
            using (var trainer = new DpoTrainer(start.Model, start.Corpus.Chat, config)) trainer.Train(pairs);
            var uninterrupted = start.Model.Parameters.Select(p => p.Value.ToArray()).ToList();
            var metricsUninterrupted = File.ReadAllText(Path.Combine(dir, "metrics.jsonl"));

            // "Crash" after step 2: drop the step-4 checkpoint, start again from the initial weights with Resume.
            Directory.Delete(Path.Combine(dir, "checkpoints", "step-000004"), recursive: true);
            using var again = DpoTrainer.FrozenCopy(initial);
            foreach (var p in again.Parameters) p.Value.RequiresGrad = true;
            using (var trainer = new DpoTrainer(again, start.Corpus.Chat, config with { Resume = true }))
            {
                var r = trainer.Train(pairs);
                Assert.Equal(4, r.Steps);
                Assert.Equal(2, r.StepLosses.Count);
            }
            for (int i = 0; i < uninterrupted.Count; i++) Assert.Equal(uninterrupted[i], again.Parameters[i].Value.ToArray());
            var resumedLines = File.ReadAllLines(Path.Combine(dir, "metrics.jsonl"));
            Assert.Equal(4, resumedLines.Length);
            Assert.Equal(metricsUninterrupted.Split('\n')[0], resumedLines[0]);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Policy_samples_keep_their_generated_ids()
    {
        var (start, pairs) = await TinySetupAsync(tasks: 2);
        using var _ = start;
        using var trainer = new DpoTrainer(start.Model, start.Corpus.Chat, new DpoConfig { MaxSteps = 1 });
        var tokenized = trainer.Tokenize(pairs);
        for (int i = 0; i < pairs.Count; i++)
        {
            var generated = pairs[i].Rejected.Steps.OfType<ActionStep>().SelectMany(a => a.TokenIds!).ToArray();
            var seq = tokenized[i].Rejected;
            var trained = seq.Ids.Where((_, t) => seq.LossMask[t] != 0).ToArray();
            Assert.Equal(generated, trained);
        }
    }

    [Fact]
    public void Config_errors_name_the_field()
    {
        var e = Assert.Throws<ArgumentException>(() => new DpoConfig { Beta = 0 }.Validate());
        Assert.Contains("Beta", e.Message);
        e = Assert.Throws<ArgumentException>(() => new DpoConfig { SaveEvery = 5 }.Validate());
        Assert.Contains("OutputDir", e.Message);
    }
}
