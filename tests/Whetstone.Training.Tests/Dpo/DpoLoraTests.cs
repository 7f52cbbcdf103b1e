using Whetstone.Agents.Environments;
using Whetstone.Models.Lora;
using Whetstone.Training.Dpo;
using Whetstone.Training.Tests.RejectionSampling;

namespace Whetstone.Training.Tests.Dpo;

/// <summary>DPO of LoRA adapters against the same model with its adapters disabled (no reference copy).</summary>
public sealed class DpoLoraTests
{
    [Fact]
    public async Task The_adapters_disabled_reference_gives_log_2_at_step_0_and_training_moves_only_the_adapters()
    {
        using var start = new CalcStart(trainTasks: 40, vocabSize: 400, hidden: 32, layers: 1);
        var train = start.Factory.Tasks(DataSplit.Train, 4);
        var sampled = await start.SampleAsync(train, k: 1, seed: 3, maxTokensPerTurn: 24);
        var expert = start.Corpus.Train.Where(t => train.Any(x => x.Id == t.TaskId)).ToList();
        var pairs = PreferencePairs.Build(sampled, expert);
        Assert.Equal(4, pairs.Count);

        var baseBefore = start.Model.Parameters.Select(p => p.Value.ToArray()).ToArray();
        using var lora = LoraModel.Attach(start.Model, new LoraConfig
        {
            Rank = 4, Alpha = 8, Dropout = 0.05f, TargetModules = LoraConfig.AllProjections, Seed = 1,
        });
        using var trainer = new DpoTrainer(lora, start.Corpus.Chat, new DpoConfig
        {
            MaxSteps = 8, PairsPerMicroBatch = 4, LearningRate = 1e-2f, WeightDecay = 0f,
        });
        Assert.True(trainer.ReferenceIsBaseWithAdaptersDisabled);
        Assert.Same(lora.Parameters, trainer.TrainableParameters);

        var tokenized = trainer.Tokenize(pairs);
        var result = trainer.Train(tokenized);

        // B = 0: policy = base = reference, so the first step sees σ(0) for every pair.
        Assert.Equal(Math.Log(2), result.StepLosses[0], 6);
        Assert.Equal(0, result.StepMetrics[0].RewardMargin, 6);
        var after = trainer.Evaluate(tokenized);
        Assert.True(after.Loss < Math.Log(2) - 0.05, $"loss {after.Loss}");
        Assert.True(after.Metrics.RewardMargin > 0, $"margin {after.Metrics.RewardMargin}");
        for (int i = 0; i < baseBefore.Length; i++) Assert.Equal(baseBefore[i], start.Model.Parameters[i].Value.ToArray());
        Assert.All(lora.Layers, l => Assert.Contains(l.B.ToArray(), v => v != 0f));
        Assert.True(lora.AdaptersEnabled);   // every reference pass closed its DisableAdapters scope
    }
}
