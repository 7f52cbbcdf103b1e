using Whetstone.Agents.Trajectories;
using Whetstone.Models.Configuration;
using Whetstone.Models.Lora;
using Whetstone.Models.Transformer;
using Whetstone.Training.Grpo;
using Whetstone.Training.Tests.Policies;
using Whetstone.Training.Tests.Sft;

namespace Whetstone.Training.Tests.Grpo;

/// <summary>GRPO of LoRA adapters, with the KL reference being the same model with its adapters disabled.</summary>
public sealed class GrpoLoraTests(SmallCalcCorpus fixture) : IClassFixture<SmallCalcCorpus>
{
    private readonly CalcCorpus _corpus = fixture.Corpus;

    [Fact]
    public async Task A_step_updates_only_the_adapters_with_zero_kl_to_the_disabled_base_at_the_start()
    {
        using var model = TransformerModel.Create(ModelShapes.Tiny(_corpus.Chat.Tokenizer.VocabSize) with { MaxPositionEmbeddings = 2048 }, 1);
        var baseBefore = model.Parameters.Select(p => p.Value.ToArray()).ToArray();
        using var lora = LoraModel.Attach(model, new LoraConfig { Rank = 4, Alpha = 8, TargetModules = ["q_proj", "v_proj", "up_proj"] });
        using var trainer = new GrpoTrainer(lora, _corpus.Chat, _corpus.Factory, new GrpoConfig
        {
            MaxSteps = 1, TasksPerStep = 2, GroupSize = 3, TrainTasks = 20, MaxTokensPerTurn = 12, MaxTurns = 2,
            MaxEpisodeTokens = 64, LearningRate = 1e-2f, Beta = 0.1f, WeightDecay = 0f, SkipZeroVarianceGroups = false,
            MaxLength = 1024, Seed = 5, EvalTasks = 2,
        });
        Assert.Null(trainer.Reference);                          // no frozen copy of the base
        Assert.True(trainer.ReferenceIsBaseWithAdaptersDisabled);
        Assert.Same(lora.Parameters, trainer.TrainableParameters);

        var groups = await trainer.RolloutAsync(trainer.TasksForStep(0), seed: 11);
        double[][] rewards = [[1, 0, 0], [0, 0, 1]];
        var scored = groups.Select((g, i) => (IReadOnlyList<Trajectory>)g.Select((t, j) => t with { Reward = rewards[i][j], Success = rewards[i][j] > 0 }).ToList()).ToList();
        var r = trainer.Step(scored, 1);

        Assert.Equal(1, r.Updates);
        Assert.True(r.GradNorm > 0);
        Assert.Equal(0.0, r.Kl!.Value, 6);                       // B = 0: policy and disabled-adapter reference agree
        for (int i = 0; i < baseBefore.Length; i++) Assert.Equal(baseBefore[i], model.Parameters[i].Value.ToArray());
        Assert.All(model.Parameters, p => Assert.Null(p.Value.Grad));
        Assert.All(lora.Layers, l => Assert.Contains(l.B.ToArray(), v => v != 0f));
        Assert.True(lora.AdaptersEnabled);

        // The next step's reference pass still sees the base: KL to it is now positive.
        var again = trainer.Step(scored, 2);
        Assert.True(again.Kl > 0, $"kl {again.Kl}");
    }
}
