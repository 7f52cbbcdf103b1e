using Whetstone.Models.Checkpoints;
using Whetstone.Models.Configuration;
using Whetstone.Models.Lora;
using Whetstone.Models.Transformer;
using Whetstone.Training.Data;
using Whetstone.Training.Sft;
using Whetstone.Training.Tests.Policies;

namespace Whetstone.Training.Tests.Sft;

/// <summary>SFT of LoRA adapters: only A and B move, B = 0 starts at the base's loss, checkpoints hold the adapters.</summary>
public sealed class SftLoraTests(SmallCalcCorpus fixture) : IClassFixture<SmallCalcCorpus>
{
    private readonly CalcCorpus _corpus = fixture.Corpus;

    private TransformerModel NewModel(ulong seed = 1) =>
        TransformerModel.Create(ModelShapes.Tiny(_corpus.Chat.Tokenizer.VocabSize) with { MaxPositionEmbeddings = 2048 }, seed);

    private static LoraConfig Adapters(float dropout = 0f) => new()
    {
        Rank = 4, Alpha = 8, Dropout = dropout, TargetModules = LoraConfig.AllProjections, Seed = 3,
    };

    private IReadOnlyList<TokenizedSequence> Sequences(int count)
    {
        using var model = NewModel();
        return new SftTrainer(model, _corpus.Chat, new SftConfig()).Tokenize(_corpus.Train.Take(count).ToList());
    }

    private static float[][] Weights(TransformerModel model) => [.. model.Parameters.Select(p => p.Value.ToArray())];

    [Fact]
    public void Lora_sft_lowers_the_loss_and_changes_only_the_adapters()
    {
        var seqs = Sequences(6);
        using var model = NewModel();
        var baseBefore = Weights(model);
        using var lora = LoraModel.Attach(model, Adapters(dropout: 0.05f));
        var aBefore = lora.Layers.Select(l => l.A.ToArray()).ToArray();
        var trainer = new SftTrainer(lora, _corpus.Chat, new SftConfig
        {
            MaxSteps = 12, LearningRate = 1e-2f, WarmupSteps = 1, Schedule = SftSchedule.Constant, MaxSequencesPerMicroBatch = 6, WeightDecay = 0f,
        });
        Assert.Same(lora.Parameters, trainer.TrainableParameters);
        Assert.Same(lora.Parameters, trainer.Optimizer.Parameters);

        var result = trainer.Train(seqs);

        // A random base with a frozen head and embeddings: the adapters alone take about 0.75 nats off in 12 steps.
        Assert.True(result.StepLosses[^1] < result.StepLosses[0] * 0.9, "loss " + string.Join(" ", result.StepLosses.Select(l => l.ToString("F3"))));
        var baseAfter = Weights(model);
        for (int i = 0; i < baseBefore.Length; i++) Assert.Equal(baseBefore[i], baseAfter[i]);   // bit for bit
        Assert.All(model.Parameters, p => Assert.Null(p.Value.Grad));                               // no gradient buffers
        for (int i = 0; i < lora.Layers.Count; i++)
        {
            Assert.NotEqual(aBefore[i], lora.Layers[i].A.ToArray());
            Assert.Contains(lora.Layers[i].B.ToArray(), v => v != 0f);
        }
    }

    [Fact]
    public void With_B_zero_the_first_step_loss_equals_the_base_models()
    {
        var seqs = Sequences(4);
        var config = new SftConfig { MaxSteps = 1, MaxSequencesPerMicroBatch = 4 };
        using var plain = NewModel();
        double baseLoss = new SftTrainer(plain, _corpus.Chat, config).Train(seqs).StepLosses[0];
        using var adapted = NewModel();
        using var lora = LoraModel.Attach(adapted, Adapters(dropout: 0.1f));
        double loraLoss = new SftTrainer(lora, _corpus.Chat, config).Train(seqs).StepLosses[0];
        Assert.Equal(baseLoss, loraLoss);   // B = 0: the delta is exactly zero, dropout or not
    }

    [Fact]
    public void A_model_with_adapters_attached_is_refused_by_the_full_fine_tuning_constructor()
    {
        using var model = NewModel();
        using var lora = LoraModel.Attach(model, Adapters());
        var e = Assert.Throws<ArgumentException>(() => new SftTrainer(model, _corpus.Chat, new SftConfig()));
        Assert.Contains("pass the LoraModel", e.Message);
        lora.Merge();
        e = Assert.Throws<ArgumentException>(() => new SftTrainer(lora, _corpus.Chat, new SftConfig()));
        Assert.Contains("Unmerge", e.Message);
    }

    [Fact]
    public void Checkpoints_hold_only_the_adapters_and_resume_gives_the_uninterrupted_runs_adapters()
    {
        var seqs = Sequences(6);
        var dirA = Path.Combine(Path.GetTempPath(), $"whet-sft-lora-a-{Guid.NewGuid():N}");
        var dirB = Path.Combine(Path.GetTempPath(), $"whet-sft-lora-b-{Guid.NewGuid():N}");
        SftConfig Config(string dir) => new()
        {
            OutputDir = dir, MaxSteps = 4, SaveEvery = 2, LearningRate = 5e-3f, MaxSequencesPerMicroBatch = 2,
            GradientAccumulationSteps = 2, Seed = 5, Resume = true,
        };
        try
        {
            // Dropout 0.1: the masks come from the adapter's RNG, which the checkpoint must carry on exactly.
            using var fullModel = NewModel();
            using var full = LoraModel.Attach(fullModel, Adapters(dropout: 0.1f));
            new SftTrainer(full, _corpus.Chat, Config(dirA)).Train(seqs);

            using (var firstModel = NewModel())
            using (var first = LoraModel.Attach(firstModel, Adapters(dropout: 0.1f)))
                new SftTrainer(first, _corpus.Chat, Config(dirB)).Train(seqs);
            Directory.Delete(Path.Combine(dirB, "checkpoints", "step-000004"), recursive: true);   // "crash" after step 2

            // The checkpoint holds the adapters under PEFT names and their AdamW moments, nothing of the base.
            string step2 = Path.Combine(dirB, "checkpoints", "step-000002");
            using (var weights = SafetensorsFile.Open(Path.Combine(step2, "model.safetensors")))
                Assert.Equal(full.Parameters.Select(p => p.Name).Order(), weights.Entries.Keys.Order());
            using (var moments = SafetensorsFile.Open(Path.Combine(step2, "optimizer.safetensors")))
                Assert.Equal(2 * full.Parameters.Count, moments.Entries.Count);

            using var resumedModel = NewModel();
            using var resumed = LoraModel.Attach(resumedModel, Adapters(dropout: 0.1f) with { Seed = 99 });   // other A and masks
            var result = new SftTrainer(resumed, _corpus.Chat, Config(dirB)).Train(seqs);
            Assert.Equal(4, result.Steps);
            Assert.Equal(2, result.StepLosses.Count);
            for (int i = 0; i < full.Parameters.Count; i++)
                Assert.Equal(full.Parameters[i].Value.ToArray(), resumed.Parameters[i].Value.ToArray());
        }
        finally
        {
            foreach (var d in new[] { dirA, dirB }) if (Directory.Exists(d)) Directory.Delete(d, true);
        }
    }
}
