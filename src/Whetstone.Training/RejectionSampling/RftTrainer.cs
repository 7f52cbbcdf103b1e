using AtomicFile = Whetstone.Models.Checkpoints.AtomicFile;
using System.Text.Json;
using System.Text.Json.Serialization;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Evaluation;
using Whetstone.Agents.Formats;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Rollouts;
using Whetstone.Agents.Trajectories;
using Whetstone.Models.Lora;
using Whetstone.Models.Transformer;
using Whetstone.Training.Data;
using Whetstone.Training.Policies;
using Whetstone.Training.Sft;

namespace Whetstone.Training.RejectionSampling;

/// <summary>
/// Rejection-sampling fine-tuning (STaR / FireAct / AgentTuning; "Large Language Models Can Self-Improve At Web Agent
/// Tasks"): the policy improves on its own successes. Each round: sample k trajectories per train task with the
/// current model (temperature &gt; 0, seeded) → keep the successful ones, drop infrastructure errors and duplicates
/// (<see cref="RftSelection"/>) → SFT on them (optionally with every earlier round's kept set) → greedy evaluation on
/// held-out test tasks. Logs go to the run directory as stage <c>rft</c>.
/// </summary>
/// <remarks>
/// <para>Simplifications: each round continues from the current weights with a fresh <see cref="SftTrainer"/> (new
/// AdamW moments and schedule) rather than restarting from the base model as STaR does; with
/// <see cref="RftConfig.MixPreviousRounds"/> the data grows instead, which keeps earlier solutions in play. A round
/// with nothing kept trains nothing and is still evaluated.</para>
/// <para>Trajectories are tokenized with <see cref="SftTokenizer"/> (re-rendered text, assistant-only loss), as in
/// the papers' SFT on filtered text; the generated ids are not needed here.</para>
/// </remarks>
public sealed class RftTrainer
{
    private readonly TransformerModel _model;
    private readonly LoraModel? _lora;
    private readonly ChatFormatter _chat;
    private readonly IEnvironmentFactory _factory;
    private readonly PolicySource? _sampler;

    /// <summary>Creates a trainer.</summary>
    /// <param name="model">The model to improve (not owned; trained in place).</param>
    /// <param name="chat">Its tokenizer and chat template.</param>
    /// <param name="factory">The environment whose train tasks are sampled and whose test tasks are evaluated.</param>
    /// <param name="config">The run's settings.</param>
    /// <param name="sampler">
    /// Who acts in the sampling rollouts; null (the normal case) is a <see cref="LocalPolicy"/> over
    /// <paramref name="model"/>. Tests pass a scripted or failing policy here.
    /// </param>
    public RftTrainer(TransformerModel model, ChatFormatter chat, IEnvironmentFactory factory, RftConfig config, PolicySource? sampler = null)
        : this(model ?? throw new ArgumentNullException(nameof(model)), null, chat, factory, config, sampler)
    {
    }

    /// <summary>
    /// Creates a trainer that improves the adapters of <paramref name="lora"/> (not owned): rollouts run the adapted
    /// model and each round's SFT trains only A and B (the base stays frozen).
    /// </summary>
    /// <param name="lora">The adapted model.</param>
    /// <param name="chat">Its tokenizer and chat template.</param>
    /// <param name="factory">The environment whose train tasks are sampled and whose test tasks are evaluated.</param>
    /// <param name="config">The run's settings.</param>
    /// <param name="sampler">Who acts in the sampling rollouts; null is a <see cref="LocalPolicy"/> over the adapted model.</param>
    public RftTrainer(LoraModel lora, ChatFormatter chat, IEnvironmentFactory factory, RftConfig config, PolicySource? sampler = null)
        : this((lora ?? throw new ArgumentNullException(nameof(lora))).Model, lora, chat, factory, config, sampler)
    {
    }

    private RftTrainer(TransformerModel model, LoraModel? lora, ChatFormatter chat, IEnvironmentFactory factory, RftConfig config,
        PolicySource? sampler)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _lora = lora;
        _model = model;
        _chat = chat;
        _factory = factory;
        _sampler = sampler;
        Config = config;
    }

    /// <summary>The run's settings.</summary>
    public RftConfig Config { get; }

    /// <summary>Runs every round on <paramref name="trainTasks"/> and returns what each did.</summary>
    public async Task<RftResult> RunAsync(IReadOnlyList<EnvironmentTask> trainTasks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trainTasks);
        if (trainTasks.Count == 0) throw new ArgumentException("RftTrainer: no train tasks.", nameof(trainTasks));
        var c = Config;
        var log = new RftRunLog(c.OutputDir);
        if (c.OutputDir is not null) WriteConfig(c);
        using var policy = new LocalPolicy(_model, _chat);
        var sampler = _sampler ?? PolicySource.Shared(policy, "local");
        var evalTasks = c.EvalTasks > 0 ? _factory.Tasks(DataSplit.Test, c.EvalTasks) : [];

        long step = 0;
        EvaluationReport? baseline = null;
        if (evalTasks.Count > 0)
        {
            baseline = await EvaluateAsync(policy, evalTasks, cancellationToken).ConfigureAwait(false);
            log.Eval(step, 0, baseline);
            Progress($"rft round 0: held-out success {Describe(baseline)}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var allKept = new List<Trajectory>();
        var rounds = new List<RftRound>();
        for (int round = 1; round <= c.Rounds; round++)
        {
            // 1. Explore: k seeded samples per train task with the current weights.
            var runner = new RolloutRunner(_factory, sampler, new RolloutOptions
            {
                SamplesPerTask = c.SamplesPerTask, MaxParallelism = c.MaxParallelism, MaxTurns = c.MaxTurns,
                MaxGeneratedTokens = c.MaxGeneratedTokens, Seed = unchecked(c.Seed + 1000 * round),
                Sampling = new SamplingOptions { Temperature = c.Temperature, TopP = c.TopP, MaxTokens = c.MaxTokensPerTurn },
            });
            var sampled = await runner.RunAllAsync(trainTasks, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (c.OutputDir is not null) await WriteTrajectoriesAsync(c.OutputDir, round, sampled).ConfigureAwait(false);

            // 2. Reject: keep successes, no infrastructure errors, no duplicates (also of earlier rounds).
            var kept = RftSelection.Select(sampled, seen, c.MaxKeptPerTask);
            allKept.AddRange(kept);
            var dataset = c.MixPreviousRounds ? allKept.ToList() : kept.ToList();

            // 3. Fine-tune on the kept set.
            long roundSteps = 0;
            double finalLoss = double.NaN;
            var stats = new List<KeyValuePair<string, double>>
            {
                new("sampled", sampled.Count),
                new("sample_success_rate", Rate(sampled)),
                new("infra_errors", sampled.Count(t => t.Status == EpisodeStatus.InfrastructureError)),
                new("kept", kept.Count),
                new("dataset_size", dataset.Count),
            };
            var sftConfig = c.Sft with
            {
                OutputDir = c.OutputDir is null ? null : Path.Combine(c.OutputDir, $"round-{round}"),
                Seed = unchecked(c.Sft.Seed + round), ShowProgress = false, ProgressSink = c.ProgressSink,
            };
            var sftTrainer = _lora is null ? new SftTrainer(_model, _chat, sftConfig) : new SftTrainer(_lora, _chat, sftConfig);
            var sequences = dataset.Count > 0 ? sftTrainer.Tokenize(dataset) : [];
            if (sequences.Count > 0)
            {
                var sft = sftTrainer.Train(sequences);
                for (int i = 0; i < sft.StepLosses.Count; i++)
                    log.Step(step + i + 1, round, sft.StepLosses[i], i == sft.StepLosses.Count - 1 ? stats : null);
                roundSteps = sft.StepLosses.Count;
                finalLoss = sft.StepLosses[^1];
                step += roundSteps;
            }
            else
            {
                log.Step(step, round, double.NaN, stats);
            }

            // 4. Evaluate greedily on held-out tasks.
            EvaluationReport? eval = null;
            if (evalTasks.Count > 0)
            {
                eval = await EvaluateAsync(policy, evalTasks, cancellationToken).ConfigureAwait(false);
                log.Eval(step, round, eval);
            }
            var r = new RftRound
            {
                Round = round, Sampled = sampled.Count,
                InfrastructureErrors = sampled.Count(t => t.Status == EpisodeStatus.InfrastructureError),
                Successes = sampled.Count(t => t.Success == true && t.Status != EpisodeStatus.InfrastructureError),
                TasksSolved = sampled.Where(RftSelection.IsKept).Select(t => t.TaskId ?? t.Id).Distinct().Count(),
                Kept = kept.Count, DatasetSize = dataset.Count, SftSteps = roundSteps, FinalLoss = finalLoss, Eval = eval,
            };
            rounds.Add(r);
            Progress($"rft round {round}: sampled {r.Sampled} ({r.Successes} solved, {r.InfrastructureErrors} infra errors), " +
                     $"kept {r.Kept} new, trained on {r.DatasetSize} for {r.SftSteps} steps (loss {r.FinalLoss:F4})" +
                     (eval is null ? "" : $"; held-out success {Describe(eval)}"));
        }
        return new RftResult { Baseline = baseline, Rounds = rounds, Kept = allKept };
    }

    /// <summary>Greedy episodes of the current model on the held-out tasks.</summary>
    private async Task<EvaluationReport> EvaluateAsync(LocalPolicy policy, IReadOnlyList<EnvironmentTask> tasks, CancellationToken ct)
    {
        var c = Config;
        var runner = new RolloutRunner(_factory, PolicySource.Shared(policy, "local"), new RolloutOptions
        {
            MaxParallelism = c.MaxParallelism, MaxTurns = c.MaxTurns, MaxGeneratedTokens = c.MaxGeneratedTokens, Seed = c.Seed,
            Sampling = new SamplingOptions { Temperature = 0f, MaxTokens = c.MaxTokensPerTurn },
        });
        var trajectories = await runner.RunAllAsync(tasks, cancellationToken: ct).ConfigureAwait(false);
        return TrajectoryEvaluator.Evaluate(trajectories, policy: "rft", split: "test");
    }

    private static double Rate(IReadOnlyList<Trajectory> sampled)
    {
        int scored = sampled.Count(t => t.Status != EpisodeStatus.InfrastructureError);
        return scored == 0 ? double.NaN : (double)sampled.Count(RftSelection.IsKept) / scored;
    }

    private static string Describe(EvaluationReport r) =>
        $"{r.SuccessRate:F3} [{r.SuccessInterval.Low:F3}, {r.SuccessInterval.High:F3}] ({r.Successes}/{r.Episodes})";

    private void Progress(string line)
    {
        if (Config.ShowProgress) Console.Error.WriteLine(line);
    }

    private static async Task WriteTrajectoriesAsync(string dir, int round, IReadOnlyList<Trajectory> sampled)
    {
        var folder = Path.Combine(dir, "trajectories");
        Directory.CreateDirectory(folder);
        await using var writer = new TrajectoryJsonlWriter(Path.Combine(folder, $"round-{round:D2}.jsonl"), append: false);
        foreach (var t in sampled) await writer.WriteAsync(t).ConfigureAwait(false);
    }

    private static void WriteConfig(RftConfig c)
    {
        AtomicFile.WriteAllText(Path.Combine(c.OutputDir!, "config.json"), JsonSerializer.Serialize(c, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true, Converters = { new JsonStringEnumConverter() },
    };
}
