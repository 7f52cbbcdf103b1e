using System.Diagnostics;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Evaluation;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Rollouts;
using Whetstone.Models.Configuration;
using Whetstone.Models.Transformer;
using Whetstone.Training.Policies;
using Whetstone.Training.Sft;

namespace Whetstone.Training.Tests.Sft;

/// <summary>
/// The from-scratch SFT recipe on calc: expert rollouts on train tasks → BPE tokenizer → tiny Qwen3-style model →
/// <see cref="SftTrainer"/> → greedy <see cref="LocalPolicy"/> on held-out test tasks, before and after training.
/// </summary>
public sealed record CalcLearningRun
{
    public int TrainTasks { get; init; } = 400;
    public int VocabSize { get; init; } = 1024;
    public int Hidden { get; init; } = 128;
    public int Layers { get; init; } = 4;
    public int Steps { get; init; } = 200;
    public int SequencesPerStep { get; init; } = 8;
    public float LearningRate { get; init; } = 3e-3f;
    public int TestTasks { get; init; } = 200;
    public int BaselineTestTasks { get; init; } = 10;
    public SftLoss Loss { get; init; } = SftLoss.CrossEntropy;
    public string? OutputDir { get; init; }

    public sealed record Outcome(EvaluationReport Before, EvaluationReport After, SftResult Training, long Parameters,
        double CollectSeconds, double EvalSeconds, string Summary);

    public async Task<Outcome> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        using var corpus = new CalcCorpus(TrainTasks, VocabSize);
        double collect = clock.Elapsed.TotalSeconds;
        var config = new ModelConfig
        {
            Family = ModelFamily.Qwen3, VocabSize = corpus.Chat.Tokenizer.VocabSize, HiddenSize = Hidden,
            IntermediateSize = Hidden * 3, NumLayers = Layers, NumHeads = Hidden / 32, NumKeyValueHeads = Math.Max(1, Hidden / 64),
            HeadDim = 32, MaxPositionEmbeddings = 2048, RmsNormEps = 1e-6f, RopeTheta = 10000, TieWordEmbeddings = true,
            QkNorm = true, EosTokenIds = [corpus.Chat.EndOfTurnTokenId],
        };
        using var model = TransformerModel.Create(config, seed: 7);
        long parameters = model.Parameters.ElementCount;
        using var policy = new LocalPolicy(model, corpus.Chat);
        var before = await Evaluate(corpus, policy, BaselineTestTasks);

        var trainer = new SftTrainer(model, corpus.Chat, new SftConfig
        {
            MaxSteps = Steps, LearningRate = LearningRate, WarmupSteps = Math.Max(1, Steps / 20), MinLrRatio = 0.1f,
            MaxSequencesPerMicroBatch = SequencesPerStep, MaxTokensPerMicroBatch = 1 << 16, Loss = Loss, Seed = 1,
            OutputDir = OutputDir, ShowProgress = OutputDir is not null,
        });
        var training = trainer.Train(corpus.Train);

        var evalClock = Stopwatch.StartNew();
        var after = await Evaluate(corpus, policy, TestTasks);
        double evalSeconds = evalClock.Elapsed.TotalSeconds;
        string summary =
            $"calc SFT from scratch: {parameters:N0} parameters (hidden {Hidden}, {Layers} layers, vocab {config.VocabSize}), " +
            $"{TrainTasks} expert episodes, {training.Steps} steps × {SequencesPerStep} sequences ({Loss}), " +
            $"train {training.ElapsedSeconds:F1} s at {training.TokensPerSecond:F0} tok/s, final loss {training.StepLosses[^1]:F4}; " +
            $"success before {before.SuccessRate:F3} [{before.SuccessInterval.Low:F3}, {before.SuccessInterval.High:F3}] ({before.Successes}/{before.Episodes}), " +
            $"after {after.SuccessRate:F3} [{after.SuccessInterval.Low:F3}, {after.SuccessInterval.High:F3}] ({after.Successes}/{after.Episodes}); " +
            $"tool calls before {before.ToolCalls} ({before.InvalidToolCalls} invalid), after {after.ToolCalls} ({after.InvalidToolCalls} invalid, rate {after.InvalidToolCallRate:F3}); " +
            $"collect+tokenizer {collect:F1} s, eval {evalSeconds:F1} s";
        return new Outcome(before, after, training, parameters, collect, evalSeconds, summary);
    }

    private static async Task<EvaluationReport> Evaluate(CalcCorpus corpus, LocalPolicy policy, int tasks)
    {
        var runner = new RolloutRunner(corpus.Factory, PolicySource.Shared(policy), new RolloutOptions
        {
            MaxTurns = 6, MaxParallelism = 1, Seed = 0, MaxGeneratedTokens = 400,
            Sampling = new SamplingOptions { Temperature = 0f, MaxTokens = 64 },
        });
        var trajectories = await runner.RunAllAsync(corpus.Factory.Tasks(DataSplit.Test, tasks));
        if (Environment.GetEnvironmentVariable("WHET_SFT_DEBUG") == "1")
            foreach (var t in trajectories.Take(4))
                Console.Error.WriteLine(string.Join("\n", t.Steps.Select(s => s switch
                {
                    Whetstone.Agents.Trajectories.ActionStep a => "A: " + a.Action.ToMessage().Content + " " + string.Join(",", a.Action.ToolCalls.Select(c => c.Name + c.ArgumentsJson)) + " malformed=" + a.Action.MalformedToolCalls.Count,
                    _ => "O: " + s.ToString()[..Math.Min(200, s.ToString().Length)],
                })) + "\n-----");
        return TrajectoryEvaluator.Evaluate(trajectories, policy: "local", split: "test");
    }
}
