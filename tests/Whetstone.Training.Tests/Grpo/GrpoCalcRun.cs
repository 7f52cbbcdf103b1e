using System.Diagnostics;
using Whetstone.Agents.Evaluation;
using Whetstone.Models.Configuration;
using Whetstone.Models.Transformer;
using Whetstone.Training.Grpo;
using Whetstone.Training.Sft;
using Whetstone.Training.Tests.Sft;

namespace Whetstone.Training.Tests.Grpo;

/// <summary>
/// SFT → GRPO on calc from scratch: expert episodes on the first <see cref="SftTasks"/> train tasks → BPE tokenizer →
/// tiny Qwen3-style model → <see cref="SftTrainer"/> stopped well short of convergence → <see cref="GrpoTrainer"/>.
/// Measured before and after GRPO with the same seeds: the sampled (temperature-1) reward on the GRPO train pool, and
/// greedy success on held-out test tasks.
/// </summary>
public sealed record GrpoCalcRun
{
    public int SftTasks { get; init; } = 8;
    public int VocabSize { get; init; } = 512;
    public int Hidden { get; init; } = 128;
    public int Layers { get; init; } = 2;
    public int SftSteps { get; init; } = 60;
    public float SftLearningRate { get; init; } = 4e-3f;

    /// <summary>Train tasks GRPO draws from: the first N of the train split (the SFT tasks are the first SftTasks).</summary>
    public int GrpoTasks { get; init; } = 8;
    public int GrpoSteps { get; init; } = 10;
    public int TasksPerStep { get; init; } = 4;
    public int GroupSize { get; init; } = 4;
    public float GrpoLearningRate { get; init; } = 1e-4f;
    public float Beta { get; init; } = 0.01f;
    public int InnerEpochs { get; init; } = 1;

    /// <summary>Rollout (and probe) temperature.</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Train-pool tasks × samples of the sampled-reward probe before and after GRPO.</summary>
    public int ProbeTasks { get; init; } = 8;
    public int ProbeSamples { get; init; } = 4;

    /// <summary>Held-out test tasks, one greedy episode each.</summary>
    public int TestTasks { get; init; } = 20;
    public string? OutputDir { get; init; }
    public int EvalEvery { get; init; }

    public sealed record Outcome(double ProbeBefore, double ProbeAfter, EvaluationReport TestBefore, EvaluationReport TestAfter,
        GrpoResult Grpo, double SftSeconds, string Summary);

    public async Task<Outcome> RunAsync()
    {
        using var corpus = new CalcCorpus(SftTasks, VocabSize);
        var config = new ModelConfig
        {
            Family = ModelFamily.Qwen3, VocabSize = corpus.Chat.Tokenizer.VocabSize, HiddenSize = Hidden,
            IntermediateSize = Hidden * 3, NumLayers = Layers, NumHeads = Hidden / 32, NumKeyValueHeads = Math.Max(1, Hidden / 64),
            HeadDim = 32, MaxPositionEmbeddings = 2048, RmsNormEps = 1e-6f, RopeTheta = 10000, TieWordEmbeddings = true,
            QkNorm = true, EosTokenIds = [corpus.Chat.EndOfTurnTokenId],
        };
        using var model = TransformerModel.Create(config, seed: 7);

        var sftClock = Stopwatch.StartNew();
        new SftTrainer(model, corpus.Chat, new SftConfig
        {
            MaxSteps = SftSteps, LearningRate = SftLearningRate, WarmupSteps = Math.Max(1, SftSteps / 20), MinLrRatio = 0.1f,
            MaxSequencesPerMicroBatch = 8, MaxTokensPerMicroBatch = 1 << 16, Seed = 1,
        }).Train(corpus.Train);
        double sftSeconds = sftClock.Elapsed.TotalSeconds;

        using var trainer = new GrpoTrainer(model, corpus.Chat, corpus.Factory, new GrpoConfig
        {
            MaxSteps = GrpoSteps, TasksPerStep = TasksPerStep, GroupSize = GroupSize, TrainTasks = GrpoTasks,
            LearningRate = GrpoLearningRate, Beta = Beta, InnerEpochs = InnerEpochs, Seed = 3, Temperature = Temperature,
            MaxTokensPerTurn = 48, MaxTurns = 6, MaxEpisodeTokens = 300, MaxLength = 1024,
            MaxTokensPerMicroBatch = 1 << 14, MaxSequencesPerMicroBatch = 16,
            EvalEvery = EvalEvery, EvalTasks = TestTasks, OutputDir = OutputDir, SaveEvery = OutputDir is null ? 0 : Math.Max(1, GrpoSteps / 4),
            ShowProgress = OutputDir is not null,
        });
        var probeTasks = corpus.Factory.Tasks(Agents.Environments.DataSplit.Train, ProbeTasks);
        async Task<double> Probe()
        {
            // Same tasks, same episode seeds before and after: the difference is the policy's alone.
            var groups = await trainer.RolloutAsync(probeTasks.SelectMany(t => Enumerable.Repeat(t, Math.Max(1, ProbeSamples / GroupSize))).ToList(), seed: 12345);
            var rewards = groups.SelectMany(g => g).Where(t => t.Reward is not null).Select(t => t.Reward!.Value).ToList();
            return rewards.Count == 0 ? 0 : rewards.Average();
        }
        double probeBefore = await Probe();
        var testBefore = await trainer.EvaluateAsync(TestTasks);
        var grpo = await trainer.TrainAsync();
        double probeAfter = await Probe();
        var testAfter = await trainer.EvaluateAsync(TestTasks);

        static string Rate(EvaluationReport r) =>
            $"{r.SuccessRate:F3} [{r.SuccessInterval.Low:F3}, {r.SuccessInterval.High:F3}] ({r.Successes}/{r.Episodes})";
        var rewardsPerStep = string.Join(" ", grpo.StepResults.Select(s => s.Result.RewardMean.ToString("F2")));
        string summary =
            $"calc SFT→GRPO: hidden {Hidden}, {Layers} layers, vocab {config.VocabSize}; SFT {SftSteps} steps on {SftTasks} tasks ({sftSeconds:F1} s); " +
            $"GRPO {grpo.Steps} steps × {TasksPerStep} tasks × G={GroupSize}, lr {GrpoLearningRate}, β {Beta}, T {Temperature}, μ {InnerEpochs} " +
            $"(generate {grpo.GenerationSeconds:F1} s, train {grpo.TrainingSeconds:F1} s); step rewards {rewardsPerStep}; " +
            $"sampled train-pool reward {probeBefore:F3} → {probeAfter:F3} ({ProbeTasks}×{Math.Max(1, ProbeSamples / GroupSize) * GroupSize}); " +
            $"held-out greedy success {Rate(testBefore)} → {Rate(testAfter)}";
        return new Outcome(probeBefore, probeAfter, testBefore, testAfter, grpo, sftSeconds, summary);
    }
}
