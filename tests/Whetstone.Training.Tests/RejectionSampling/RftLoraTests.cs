using Whetstone.Agents.Environments;
using Whetstone.Agents.Rollouts;
using Whetstone.Models.Lora;
using Whetstone.Training.RejectionSampling;
using Whetstone.Training.Sft;

namespace Whetstone.Training.Tests.RejectionSampling;

/// <summary>Rejection-sampling rounds that fine-tune LoRA adapters only.</summary>
public sealed class RftLoraTests
{
    [Fact]
    public async Task Each_rounds_sft_trains_only_the_adapters()
    {
        using var start = new CalcStart(trainTasks: 30, vocabSize: 400, hidden: 32, layers: 1);
        var factory = start.Factory;
        var baseBefore = start.Model.Parameters.Select(p => p.Value.ToArray()).ToArray();
        using var lora = LoraModel.Attach(start.Model, new LoraConfig { Rank = 4, Alpha = 8, TargetModules = LoraConfig.AllProjections });
        var trainer = new RftTrainer(lora, start.Corpus.Chat, factory, new RftConfig
        {
            Rounds = 1, SamplesPerTask = 1, EvalTasks = 0, MaxTokensPerTurn = 8, MaxTurns = 4,
            Sft = new SftConfig { MaxSteps = 2, LearningRate = 1e-2f, MaxSequencesPerMicroBatch = 4 },
        }, PolicySource.PerEpisode((env, _) => factory.CreateExpert(env), "expert"));

        var result = await trainer.RunAsync(factory.Tasks(DataSplit.Train, 3));

        Assert.Equal(3, result.Rounds[0].Kept);
        Assert.Equal(2, result.Rounds[0].SftSteps);
        for (int i = 0; i < baseBefore.Length; i++) Assert.Equal(baseBefore[i], start.Model.Parameters[i].Value.ToArray());
        Assert.All(lora.Layers, l => Assert.Contains(l.B.ToArray(), v => v != 0f));
    }
}
