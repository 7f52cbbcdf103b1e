using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Evaluation;
using Whetstone.Agents.Formats;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Rollouts;
using Whetstone.Agents.Trajectories;
using Whetstone.Models.Configuration;
using Whetstone.Models.Templates;
using Whetstone.Models.Tokenization.Training;
using Whetstone.Models.Transformer;
using Whetstone.Training.Data;
using Whetstone.Training.Grpo;
using Whetstone.Training.Policies;
using Whetstone.Training.Reporting;
using Whetstone.Training.Sft;

namespace Whetstone.Training.Demo;

/// <summary>
/// The whole loop on the <c>calc</c> environment, from nothing, in one readable method (<c>whet demo</c>):
/// scripted-expert episodes on train tasks → a byte-level BPE tokenizer trained on their ChatML renderings → a tiny
/// Qwen3-style model from random weights → SFT on the expert episodes, stopped once greedy success on validation tasks
/// reaches a threshold (deliberately short of convergence) → a GRPO stage from the SFT weights →
/// greedy evaluation of random, SFT, SFT+GRPO and expert on the same held-out test tasks (95% Wilson intervals).
/// What it simplifies: one environment, fixed small sizes (<see cref="DemoOptions"/>), no resume.
/// Run directory: <c>model/</c> (HF checkpoint of the final model + tokenizer), <c>sft-model/</c>, <c>metrics.jsonl</c>
/// (stage sft / grpo), <c>eval.jsonl</c>, <c>summary.json</c>, <c>samples.jsonl</c>, <c>config.json</c>, <c>report.html</c>.
/// </summary>
public static class CalcDemo
{
    /// <summary>Runs the pipeline; stage banners and the trainers' progress lines go to <paramref name="log"/>.</summary>
    public static async Task<DemoResult> RunAsync(DemoOptions options, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        var o = options;
        var dir = Path.GetFullPath(o.OutputDir);
        Directory.CreateDirectory(dir);
        var seconds = new Dictionary<string, double>();
        var total = Stopwatch.StartNew();
        var clock = Stopwatch.StartNew();
        void Banner(string text) => log.WriteLine($"[{total.Elapsed.TotalSeconds,6:F1} s] == {text}");
        void Lap(string stage) { seconds[stage] = clock.Elapsed.TotalSeconds; clock.Restart(); }
        WriteJson(Path.Combine(dir, "config.json"), ConfigSnapshot(o));

        // 1. Expert trajectories on train tasks: the SFT data and the tokenizer corpus.
        var factory = EnvironmentCatalog.Create("calc");
        Banner($"1/5 expert: playing {o.ExpertTasks} calc train tasks with the scripted expert");
        var expertRunner = new RolloutRunner(factory, PolicySource.Expert(factory), new RolloutOptions { MaxParallelism = 2, Seed = o.Seed });
        var expertTrain = await expertRunner.RunAllAsync(factory.Tasks(DataSplit.Train, o.ExpertTasks), null, cancellationToken).ConfigureAwait(false);
        Lap("expert");

        // 2. Tokenizer: BPE on the conversations rendered with the ChatML template the model is trained with.
        Banner($"2/5 tokenizer: byte-level BPE, vocab {o.VocabSize} requested");
        var template = new ChatTemplate(ChatMlTemplate.Source);
        var texts = expertTrain.Select(t => template.Render(TemplateJson.Messages(ConversationMessage.FromTrajectory(t).Select(m => m.Message)),
            TemplateJson.Tools(t.Tools), addGenerationPrompt: false)).ToList();
        var bpe = new BpeTrainer(new BpeTrainerOptions { VocabSize = o.VocabSize }).Train(texts);
        var tokenizerDir = Path.Combine(dir, "tokenizer");
        ChatMlTokenizerConfig.WriteTokenizerFiles(tokenizerDir, bpe, modelMaxLength: 1024);
        var chat = ChatFormatter.FromDirectory(tokenizerDir);
        log.WriteLine($"  vocab {chat.Tokenizer.VocabSize} tokens");
        Lap("tokenizer");

        // 3. SFT from random weights.
        var config = new ModelConfig
        {
            Family = ModelFamily.Qwen3, VocabSize = chat.Tokenizer.VocabSize, HiddenSize = o.Hidden, IntermediateSize = o.Hidden * 3,
            NumLayers = o.Layers, NumHeads = o.Hidden / 32, NumKeyValueHeads = Math.Max(1, o.Hidden / 64), HeadDim = 32,
            MaxPositionEmbeddings = 2048, RmsNormEps = 1e-6f, RopeTheta = 10000, TieWordEmbeddings = true, QkNorm = true,
            EosTokenIds = [chat.EndOfTurnTokenId],
        };
        using var model = TransformerModel.Create(config, seed: (ulong)(uint)(7 + o.Seed));
        long parameters = model.Parameters.ElementCount;
        var evalTasks = factory.Tasks(DataSplit.Test, o.EvalTasks);
        var eval = new EvalSettings(factory, evalTasks, o);
        Banner($"3/5 SFT: {parameters:N0}-parameter model ({o.Layers} layers, hidden {o.Hidden}), up to {o.SftSteps} steps × {o.SftBatch} sequences, lr {o.SftLearningRate}" +
               (o.SftStopAtSuccess > 0 ? $"; stops once greedy success on {o.ValidationTasks} validation tasks reaches {o.SftStopAtSuccess:P0}" : ""));
        var sftDir = Path.Combine(dir, "sft");
        // Validation: train-split tasks the expert did not play, so neither the SFT data nor the test set.
        var validation = new EvalSettings(factory, factory.Tasks(DataSplit.Train, o.ValidationTasks, offset: o.ExpertTasks), o);
        var validationChecks = new List<(long Step, EvaluationReport Report)>();
        bool StopAtThreshold(long step)
        {
            if (o.SftStopAtSuccess <= 0 || step < o.SftMinSteps || step % o.SftCheckEvery != 0) return false;
            IReadOnlyList<Trajectory> episodes;
            using (var policy = new LocalPolicy(model, chat))
                episodes = validation.RunAsync(PolicySource.Shared(policy, "sft"), cancellationToken).GetAwaiter().GetResult();
            var report = TrajectoryEvaluator.Evaluate(episodes, "SFT", "validation");
            validationChecks.Add((step, report));
            log.WriteLine($"  step {step}: validation success {Rate(report)}");
            return report.SuccessRate >= o.SftStopAtSuccess;
        }
        var sft = new SftTrainer(model, chat, new SftConfig
        {
            OutputDir = sftDir, MaxSteps = o.SftSteps, LearningRate = o.SftLearningRate, WarmupSteps = Math.Max(1, o.SftSteps / 20),
            MinLrRatio = 0.1f, MaxSequencesPerMicroBatch = o.SftBatch, MaxTokensPerMicroBatch = 1 << 16, Seed = 1 + o.Seed,
            ShowProgress = o.ShowProgress, ProgressSink = o.ProgressSink, StopAfterStep = StopAtThreshold,
        }).Train(expertTrain);
        log.WriteLine($"  {(sft.StoppedEarly ? "stopped at" : "ran")} step {sft.Steps}, final loss {sft.StepLosses[^1]:F4}, {sft.TokensPerSecond:N0} tokens/s");
        model.Save(Path.Combine(dir, "sft-model"));
        TokenizerFiles.Copy(tokenizerDir, Path.Combine(dir, "sft-model"), overwrite: true);
        Lap("sft");
        Banner($"   evaluating SFT on {o.EvalTasks} held-out test tasks (greedy)");
        IReadOnlyList<Trajectory> sftEval;
        using (var sftPolicy = new LocalPolicy(model, chat))
            sftEval = await eval.RunAsync(PolicySource.Shared(sftPolicy, "sft"), cancellationToken).ConfigureAwait(false);
        var sftReport = TrajectoryEvaluator.Evaluate(sftEval, "SFT", "test");
        log.WriteLine($"  SFT: {Rate(sftReport)}");
        Lap("eval_sft");

        // 4. GRPO from the SFT weights (they are also the frozen KL reference).
        Banner($"4/5 GRPO: {o.GrpoSteps} steps × {o.GrpoTasksPerStep} tasks × G={o.GrpoGroupSize}" +
               (o.GrpoOversampleTasks > 0 ? $" (of {o.GrpoTasksPerStep + o.GrpoOversampleTasks} played, groups with differing rewards first)" : "") +
               $", lr {o.GrpoLearningRate}, β {o.GrpoBeta}");
        var grpoDir = Path.Combine(dir, "grpo");
        GrpoResult grpo;
        using (var trainer = new GrpoTrainer(model, chat, factory, new GrpoConfig
        {
            OutputDir = grpoDir, MaxSteps = o.GrpoSteps, TasksPerStep = o.GrpoTasksPerStep, GroupSize = o.GrpoGroupSize,
            OversampleTasks = o.GrpoOversampleTasks, RolloutParallelism = (o.GrpoTasksPerStep + o.GrpoOversampleTasks) * o.GrpoGroupSize,
            TrainTasks = o.ExpertTasks, LearningRate = o.GrpoLearningRate, Beta = o.GrpoBeta, Seed = 3 + o.Seed, Temperature = 1f,
            MaxTokensPerTurn = o.MaxTokensPerTurn, MaxTurns = o.MaxTurns, MaxEpisodeTokens = o.MaxTokensPerTurn * o.MaxTurns,
            MaxLength = 1024, MaxTokensPerMicroBatch = 1 << 14, MaxSequencesPerMicroBatch = 16, ShowProgress = o.ShowProgress, ProgressSink = o.ProgressSink,
        }))
        {
            grpo = await trainer.TrainAsync(cancellationToken).ConfigureAwait(false);
        }
        log.WriteLine($"  step rewards {string.Join(" ", grpo.StepResults.Select(s => s.Result.RewardMean.ToString("F2", CultureInfo.InvariantCulture)))} " +
                      $"(generate {grpo.GenerationSeconds:F0} s, train {grpo.TrainingSeconds:F0} s)");
        var modelDir = Path.Combine(dir, "model");
        model.Save(modelDir);
        TokenizerFiles.Copy(tokenizerDir, modelDir, overwrite: true);
        Lap("grpo");

        // 5. Evaluation of all four policies on the same test tasks.
        Banner($"5/5 evaluating SFT+GRPO, random and expert on the same {o.EvalTasks} test tasks");
        IReadOnlyList<Trajectory> grpoEval;
        using (var grpoPolicy = new LocalPolicy(model, chat))
            grpoEval = await eval.RunAsync(PolicySource.Shared(grpoPolicy, "grpo"), cancellationToken).ConfigureAwait(false);
        var randomEval = await eval.RunAsync(PolicySource.Random(), cancellationToken).ConfigureAwait(false);
        var expertEval = await eval.RunAsync(PolicySource.Expert(factory), cancellationToken).ConfigureAwait(false);
        var rows = new List<DemoRow>
        {
            new("random", TrajectoryEvaluator.Evaluate(randomEval, "random", "test")),
            new("SFT", sftReport),
            new("SFT+GRPO", TrajectoryEvaluator.Evaluate(grpoEval, "SFT+GRPO", "test")),
            new("expert", TrajectoryEvaluator.Evaluate(expertEval, "expert", "test")),
        };
        Lap("eval");

        // Run directory: one metrics.jsonl and eval.jsonl with stages, summary, samples, report.
        DemoRunFiles.MergeMetrics(Path.Combine(dir, "metrics.jsonl"), (Path.Combine(sftDir, "metrics.jsonl"), "sft"),
            (Path.Combine(grpoDir, "metrics.jsonl"), "grpo"));
        DemoRunFiles.WriteEvals(Path.Combine(dir, "eval.jsonl"), validationChecks.Select(v => ("sft validation", v.Step, v.Report))
            .Concat([("sft", sft.Steps, rows[1].Report), ("grpo", 0, rows[1].Report), ("grpo", o.GrpoSteps, rows[2].Report)]));
        DemoRunFiles.WriteSummary(Path.Combine(dir, "summary.json"),
            $"whet demo ({o.Profile}): calc from scratch, SFT then GRPO — {parameters:N0} parameters", rows);
        TrajectoryJsonl.Write(Path.Combine(dir, "samples.jsonl"), Samples(sftEval, o.SamplesPerStage).Concat(Samples(grpoEval, o.SamplesPerStage)));
        seconds["total"] = total.Elapsed.TotalSeconds;
        var report = RunReport.Write(dir);
        Banner($"done: {dir}");
        return new DemoResult { Rows = rows, Seconds = seconds, ModelDir = modelDir, Parameters = parameters, ReportPath = report.OutputPath };
    }

    /// <summary>The comparison table: policy, success rate, 95% Wilson interval, successes / episodes, mean turns, invalid calls.</summary>
    public static string FormatTable(IReadOnlyList<DemoRow> rows)
    {
        var lines = new List<string>
        {
            "| policy   | success | 95% CI (Wilson) | solved  | turns | invalid calls |",
            "|----------|---------|-----------------|---------|-------|---------------|",
        };
        foreach (var (policy, r) in rows)
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {policy,-8} | {r.SuccessRate,7:F3} | [{r.SuccessInterval.Low:F3}, {r.SuccessInterval.High:F3}]  | {$"{r.Successes}/{r.Episodes}",7} | {r.MeanTurns,5:F2} | {r.InvalidToolCallRate,13:F3} |"));
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    private static string Rate(EvaluationReport r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.SuccessRate:F3} [{r.SuccessInterval.Low:F3}, {r.SuccessInterval.High:F3}] ({r.Successes}/{r.Episodes})");

    /// <summary>Up to n solved and n unsolved episodes, interleaved, so the report shows both.</summary>
    private static IEnumerable<Trajectory> Samples(IReadOnlyList<Trajectory> episodes, int n) =>
        episodes.Where(t => t.Success == true).Take((n + 1) / 2).Concat(episodes.Where(t => t.Success != true).Take(n / 2));

    private static JsonObject ConfigSnapshot(DemoOptions o) => new()
    {
        ["command"] = "whet demo" + (o.Profile == "quick" ? " --quick" : ""), ["profile"] = o.Profile, ["env"] = "calc", ["seed"] = o.Seed,
        ["expert_tasks"] = o.ExpertTasks, ["vocab_size_requested"] = o.VocabSize,
        ["model"] = new JsonObject { ["family"] = "qwen3", ["hidden"] = o.Hidden, ["layers"] = o.Layers, ["head_dim"] = 32 },
        ["sft"] = new JsonObject
        {
            ["steps"] = o.SftSteps, ["batch"] = o.SftBatch, ["lr"] = o.SftLearningRate, ["schedule"] = "warmup 5% + cosine to 0.1x",
            ["stop_at_validation_success"] = o.SftStopAtSuccess, ["check_every"] = o.SftCheckEvery, ["min_steps"] = o.SftMinSteps,
            ["validation_tasks"] = o.ValidationTasks,
        },
        ["grpo"] = new JsonObject
        {
            ["steps"] = o.GrpoSteps, ["tasks_per_step"] = o.GrpoTasksPerStep, ["oversample_tasks"] = o.GrpoOversampleTasks,
            ["group_size"] = o.GrpoGroupSize, ["lr"] = o.GrpoLearningRate,
            ["beta"] = o.GrpoBeta, ["temperature"] = 1.0,
        },
        ["eval"] = new JsonObject { ["split"] = "test", ["tasks"] = o.EvalTasks, ["temperature"] = 0, ["max_turns"] = o.MaxTurns, ["max_tokens_per_turn"] = o.MaxTokensPerTurn },
    };

    internal static void WriteJson(string path, JsonNode node)
    {
        using var file = AtomicFile.Create(path);
        file.Writer.Write(node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        file.Commit();
    }

    /// <summary>One greedy episode per test task, the same tasks and seeds for every policy.</summary>
    private sealed class EvalSettings(IEnvironmentFactory factory, IReadOnlyList<EnvironmentTask> tasks, DemoOptions o)
    {
        public Task<IReadOnlyList<Trajectory>> RunAsync(PolicySource policy, CancellationToken cancellationToken) =>
            new RolloutRunner(factory, policy, new RolloutOptions
            {
                MaxParallelism = 64, MaxTurns = o.MaxTurns, MaxGeneratedTokens = o.MaxTokensPerTurn * o.MaxTurns, Seed = 1000 + o.Seed,
                Sampling = new SamplingOptions { Temperature = 0f, MaxTokens = o.MaxTokensPerTurn },
            }).RunAllAsync(tasks, null, cancellationToken);
    }
}
