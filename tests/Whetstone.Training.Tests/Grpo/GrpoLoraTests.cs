using Whetstone.Agents.Trajectories;
using Whetstone.Models.Checkpoints;
using Whetstone.Tensors;
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

    [Fact]
    public async Task Checkpoints_hold_the_adapters_and_resume_ends_with_the_uninterrupted_runs_adapters()
    {
        string Dir() => Path.Combine(Path.GetTempPath(), "whet-grpo-lora-" + Guid.NewGuid().ToString("N"));
        string straight = Dir(), split = Dir();
        var config = new GrpoConfig
        {
            MaxSteps = 3, TasksPerStep = 2, GroupSize = 2, TrainTasks = 20, MaxTokensPerTurn = 12, MaxTurns = 2,
            MaxEpisodeTokens = 64, LearningRate = 1e-2f, Beta = 0.1f, WeightDecay = 0.01f, SkipZeroVarianceGroups = false,
            MaxLength = 1024, Seed = 5, EvalEvery = 0, SaveEvery = 1,
        };
        // A nonzero B (seeded): the policy differs from the disabled-adapter reference, so the KL term moves the
        // adapters even though a random model's calc rewards are all 0.
        (TransformerModel, LoraModel) Start(ulong bSeed)
        {
            var model = TransformerModel.Create(ModelShapes.Tiny(_corpus.Chat.Tokenizer.VocabSize) with { MaxPositionEmbeddings = 2048 }, 4);
            var lora = LoraModel.Attach(model, new LoraConfig { Rank = 4, Alpha = 8, TargetModules = ["q_proj", "v_proj", "down_proj"] });
            var rng = new Rng(bSeed);
            foreach (var l in lora.Layers) rng.FillNormal(l.B.AsSpan(), 0f, 0.05f);
            return (model, lora);
        }
        try
        {
            float[][] uninterrupted;
            var (m1, l1) = Start(1);
            using (m1)
            using (l1)
            using (var trainer = new GrpoTrainer(l1, _corpus.Chat, _corpus.Factory, config with { OutputDir = straight }))
            {
                var before = l1.Parameters.Select(p => p.Value.ToArray()).ToArray();
                await trainer.TrainAsync();
                uninterrupted = [.. l1.Parameters.Select(p => p.Value.ToArray())];
                Assert.Contains(Enumerable.Range(0, before.Length), i => !before[i].SequenceEqual(uninterrupted[i]));
            }
            using (var weights = SafetensorsFile.Open(Path.Combine(straight, "checkpoints", "step-000003", "model.safetensors")))
                Assert.All(weights.Entries.Keys, k => Assert.Contains(".lora_", k));   // adapters only, PEFT names
            using (var weights = SafetensorsFile.Open(Path.Combine(straight, "checkpoints", "step-000003", "model.safetensors")))
                Assert.Equal(2 * 3 * 2, weights.Entries.Count);                          // 2 blocks × (q, v, down) × (A, B)
            var (m2, l2) = Start(1);
            using (m2)
            using (l2)
            using (var trainer = new GrpoTrainer(l2, _corpus.Chat, _corpus.Factory, config with { OutputDir = split, MaxSteps = 2 }))
                await trainer.TrainAsync();
            var (m3, l3) = Start(77);   // other adapters: everything must come from the checkpoint
            using (m3)
            using (l3)
            using (var trainer = new GrpoTrainer(l3, _corpus.Chat, _corpus.Factory, config with { OutputDir = split, Resume = true }))
            {
                var result = await trainer.TrainAsync();
                Assert.Equal(3, result.Steps);
                Assert.Single(result.StepResults);
                for (int i = 0; i < uninterrupted.Length; i++) Assert.Equal(uninterrupted[i], l3.Parameters[i].Value.ToArray());
            }
        }
        finally
        {
            foreach (var d in new[] { straight, split })
                try { Directory.Delete(d, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
