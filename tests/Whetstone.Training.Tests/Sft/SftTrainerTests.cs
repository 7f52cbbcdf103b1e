using Whetstone.Models.Configuration;
using Whetstone.Models.Transformer;
using Whetstone.Training.Data;
using Whetstone.Training.Sft;
using Whetstone.Training.Tests.Policies;

namespace Whetstone.Training.Tests.Sft;

public sealed class SftTrainerTests(SmallCalcCorpus fixture) : IClassFixture<SmallCalcCorpus>
{
    private readonly CalcCorpus _corpus = fixture.Corpus;

    private TransformerModel NewModel(ulong seed = 1) =>
        TransformerModel.Create(ModelShapes.Tiny(_corpus.Chat.Tokenizer.VocabSize) with { MaxPositionEmbeddings = 2048 }, seed);

    private IReadOnlyList<TokenizedSequence> Sequences(int count, int skip = 0)
    {
        using var model = NewModel();
        return new SftTrainer(model, _corpus.Chat, new SftConfig()).Tokenize(_corpus.Train.Skip(skip).Take(count).ToList());
    }

    [Fact]
    public void Tokenize_keeps_the_assistant_only_mask()
    {
        var seqs = Sequences(3);
        Assert.Equal(3, seqs.Count);
        foreach (var s in seqs)
        {
            var trained = s.Ids.Where((_, i) => s.LossMask[i] != 0).ToArray();
            var text = _corpus.Chat.Tokenizer.Decode(trained);
            Assert.Contains("<tool_call>", text);
            Assert.DoesNotContain("<|im_start|>", text);
            Assert.DoesNotContain("tool_response", text);
        }
    }

    [Fact]
    public void Gradient_accumulation_8x1_equals_1x8()
    {
        var seqs = Sequences(8);
        float[][] Run(int perMicroBatch, int accumulation)
        {
            using var model = NewModel(3);
            var trainer = new SftTrainer(model, _corpus.Chat, new SftConfig
            {
                MaxSteps = 1, LearningRate = 1e-3f, MaxSequencesPerMicroBatch = perMicroBatch,
                MaxTokensPerMicroBatch = 1 << 20, GradientAccumulationSteps = accumulation, MaxGradNorm = 1.0,
            });
            trainer.Train(seqs);
            return [.. model.Parameters.Select(p => p.Value.ToArray())];
        }
        var one = Run(8, 1);
        var eight = Run(1, 8);
        using var initial = NewModel(3);
        double maxDiff = 0, maxMove = 0;
        for (int i = 0; i < one.Length; i++)
        {
            var start = initial.Parameters[i].Value.ToArray();
            for (int k = 0; k < one[i].Length; k++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(one[i][k] - eight[i][k]));
                maxMove = Math.Max(maxMove, Math.Abs(one[i][k] - start[k]));
            }
        }
        Assert.True(maxMove > 5e-4, $"the step moved the weights by at most {maxMove}");
        Assert.True(maxDiff < 1e-5, $"1×8 and 8×1 differ by {maxDiff} after one step");
    }

    [Fact]
    public void Loss_falls_eval_loss_is_reported_and_metrics_are_written()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"whet-sft-{Guid.NewGuid():N}");
        try
        {
            using var model = NewModel();
            var trainer = new SftTrainer(model, _corpus.Chat, new SftConfig
            {
                OutputDir = dir, MaxSteps = 12, LearningRate = 3e-3f, WarmupSteps = 2, MaxSequencesPerMicroBatch = 4,
                EvalEvery = 6,
            });
            var result = trainer.Train(Sequences(8), Sequences(4, skip: 30));
            Assert.Equal(12, result.Steps);
            Assert.True(result.StepLosses[^1] < result.StepLosses[0] * 0.8, $"loss {result.StepLosses[0]} → {result.StepLosses[^1]}");
            Assert.Equal([6L, 12L], result.EvalLosses.Select(e => e.Step));
            Assert.True(result.EvalLosses[1].Loss < result.EvalLosses[0].Loss);
            var lines = File.ReadAllLines(Path.Combine(dir, "metrics.jsonl"));
            Assert.Equal(12, lines.Length);
            Assert.Contains("\"grad_norm\"", lines[0]);
            Assert.Contains("\"tokens_per_s\"", lines[0]);
            Assert.Contains("\"eval_loss\"", lines[5]);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void Dft_loss_is_the_probability_weighted_nll_and_also_learns()
    {
        var seqs = Sequences(4);
        using var ce = NewModel();
        using var dft = NewModel();
        var ceLoss = new SftTrainer(ce, _corpus.Chat, new SftConfig { MaxSteps = 1, MaxSequencesPerMicroBatch = 4 }).Train(seqs).StepLosses[0];
        var dftRun = new SftTrainer(dft, _corpus.Chat, new SftConfig { MaxSteps = 10, LearningRate = 3e-3f, MaxSequencesPerMicroBatch = 4, Loss = SftLoss.Dft }).Train(seqs);
        // −p·log p per token with p ≈ 1/V at init: far smaller than −log p, and never larger.
        Assert.True(dftRun.StepLosses[0] < ceLoss * 0.05, $"DFT {dftRun.StepLosses[0]} vs CE {ceLoss}");
        Assert.True(dftRun.StepLosses[0] > 0);
        Assert.True(dftRun.StepLosses[^1] > dftRun.StepLosses[0], "−p·log p rises as p leaves 1/V: the model is learning");
        // The step's p-weighted loss is computed through the tape: the same model under CE gives the CE value at step 1.
        Assert.Equal(ceLoss, new SftTrainer(NewModel(), _corpus.Chat, new SftConfig { MaxSteps = 1, MaxSequencesPerMicroBatch = 4 }).Train(seqs).StepLosses[0], 5);
    }

    [Fact]
    public void Resume_from_a_checkpoint_ends_with_the_same_weights_as_an_uninterrupted_run()
    {
        var seqs = Sequences(6);
        var dirA = Path.Combine(Path.GetTempPath(), $"whet-sft-a-{Guid.NewGuid():N}");
        var dirB = Path.Combine(Path.GetTempPath(), $"whet-sft-b-{Guid.NewGuid():N}");
        SftConfig Config(string dir) => new()
        {
            OutputDir = dir, MaxSteps = 4, SaveEvery = 2, LearningRate = 2e-3f, MaxSequencesPerMicroBatch = 2,
            GradientAccumulationSteps = 2, Seed = 5, Resume = true,
        };
        try
        {
            using var full = NewModel();
            new SftTrainer(full, _corpus.Chat, Config(dirA)).Train(seqs);

            using (var first = NewModel()) new SftTrainer(first, _corpus.Chat, Config(dirB)).Train(seqs);
            // "Crash" after step 2: the step-4 checkpoint never happened.
            Directory.Delete(Path.Combine(dirB, "checkpoints", "step-000004"), recursive: true);
            using var resumed = NewModel(99);                       // different init: everything must come from the checkpoint
            var result = new SftTrainer(resumed, _corpus.Chat, Config(dirB)).Train(seqs);
            Assert.Equal(4, result.Steps);
            Assert.Equal(2, result.StepLosses.Count);
            for (int i = 0; i < full.Parameters.Count; i++)
                Assert.Equal(full.Parameters[i].Value.ToArray(), resumed.Parameters[i].Value.ToArray());
            Assert.Equal(File.ReadAllText(Path.Combine(dirA, "metrics.jsonl")).Split('\n').Length,
                File.ReadAllText(Path.Combine(dirB, "metrics.jsonl")).Split('\n').Length);
        }
        finally
        {
            foreach (var d in new[] { dirA, dirB }) if (Directory.Exists(d)) Directory.Delete(d, true);
        }
    }

    [Fact]
    public void StopAfterStep_ends_the_run_at_that_step_with_a_checkpoint()
    {
        var seqs = Sequences(6);
        var dir = Path.Combine(Path.GetTempPath(), $"whet-sft-stop-{Guid.NewGuid():N}");
        var asked = new List<long>();
        try
        {
            // The schedule spans 10 steps in both runs; only the stop differs.
            using var stopped = NewModel();
            var result = new SftTrainer(stopped, _corpus.Chat, new SftConfig
            {
                OutputDir = dir, MaxSteps = 10, SaveEvery = 4, LearningRate = 2e-3f, MaxSequencesPerMicroBatch = 2, Seed = 5,
                StopAfterStep = step => { asked.Add(step); return step == 3; },
            }).Train(seqs);
            Assert.True(result.StoppedEarly);
            Assert.Equal(3, result.Steps);
            Assert.Equal([1L, 2L, 3L], asked);
            Assert.True(Directory.Exists(Path.Combine(dir, "checkpoints", "step-000003")), "the stop step is checkpointed");

            using var full = NewModel();
            var never = new SftTrainer(full, _corpus.Chat, new SftConfig
            {
                MaxSteps = 4, LearningRate = 2e-3f, MaxSequencesPerMicroBatch = 2, Seed = 5, StopAfterStep = _ => false,
            }).Train(seqs);
            Assert.False(never.StoppedEarly);
            Assert.Equal(4, never.Steps);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Frozen_parameters_are_not_trained()
    {
        using var model = NewModel();
        foreach (var p in model.Parameters) p.Value.RequiresGrad = p.Name.Contains("layers.1.");
        var before = model.Parameters.Select(p => p.Value.ToArray()).ToArray();
        var trainer = new SftTrainer(model, _corpus.Chat, new SftConfig { MaxSteps = 1, MaxSequencesPerMicroBatch = 2 });
        Assert.All(trainer.TrainableParameters, p => Assert.Contains("layers.1.", p.Name));
        trainer.Train(Sequences(2));
        for (int i = 0; i < before.Length; i++)
        {
            bool changed = !before[i].SequenceEqual(model.Parameters[i].Value.ToArray());
            Assert.Equal(model.Parameters[i].Name.Contains("layers.1."), changed);
        }
    }
}
