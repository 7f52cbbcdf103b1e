using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Evaluation;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Rollouts;
using Whetstone.Agents.Trajectories;
using Whetstone.Models.Lora;
using Whetstone.Models.Transformer;
using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Optim;
using Whetstone.Training.Sft;
using Whetstone.Training.Checkpointing;
using Whetstone.Training.Data;
using Whetstone.Training.Data.Batching;
using Whetstone.Training.Metrics;
using Whetstone.Training.Objectives;
using Whetstone.Training.Policies;
using Whetstone.Training.Progress;

namespace Whetstone.Training.Grpo;

/// <summary>
/// Multi-turn GRPO of a <see cref="TransformerModel"/> against an environment. Each step, read top to bottom:
/// <list type="number">
/// <item>take the next <see cref="GrpoConfig.TasksPerStep"/> (+ <see cref="GrpoConfig.OversampleTasks"/>) train tasks
///   (seeded order per epoch of the pool);</item>
/// <item>play <see cref="GrpoConfig.GroupSize"/> seeded episodes of each with the current weights behind a
///   <see cref="LocalPolicy"/> (temperature-1 sampling), keeping every generated token id and its log-prob;</item>
/// <item>group advantages from the episode rewards (infrastructure errors left out; all-equal groups skipped; with
///   oversampling, groups beyond the first B informative ones are surplus);</item>
/// <item>token-in/token-out sequences (<see cref="RolloutSequenceBuilder"/>: loss mask on generated tokens only, tool
///   outputs and template masked, behaviour log-probs as old log-probs), length-bucketed padded micro-batches;</item>
/// <item>reference log-probs under the frozen reference in a no-grad pass (when β &gt; 0);</item>
/// <item>μ updates: forward/backward over every micro-batch with <see cref="PolicyLoss"/> (clip-higher, k3 KL,
///   token-level mean over the whole step, so the accumulated gradient is the full batch's), clip, AdamW;</item>
/// <item>metrics.jsonl, periodic held-out evaluation (greedy unless <see cref="GrpoConfig.EvalTemperature"/>) to eval.jsonl, checkpoints.</item>
/// </list>
/// </summary>
/// <remarks>
/// <para>The reference is a frozen copy of the model's weights when the trainer is built (pass one to share it).
/// A trainer built from a <see cref="LoraModel"/> trains only the adapters and uses the same model with its adapters
/// disabled as the reference, with no copy. Build the trainer from the same starting weights
/// when resuming: the reference is the run's start, the checkpoint holds the trained weights, AdamW's moments and
/// the step.</para>
/// <para>Determinism: the task order of epoch e comes from <c>Seed + e</c> and each step's rollout seed from
/// <c>Seed</c> and the step, so a resumed run continues with the same tasks and episode seeds.</para>
/// </remarks>
public sealed class GrpoTrainer : IDisposable
{
    private readonly TransformerModel _model;
    private readonly LoraModel? _lora;
    private readonly TransformerModel? _reference;   // null when β = 0, or with LoRA: the base with adapters disabled
    private readonly bool _ownsReference;
    private readonly ChatFormatter _chat;
    private readonly IEnvironmentFactory _environment;
    private readonly ParameterSet _trainable;
    private readonly RolloutSequenceBuilder _sequences;
    private readonly IReadOnlyList<EnvironmentTask> _taskPool;
    private readonly LearningRateSchedule _schedule;
    private readonly Tape _tape = new();

    /// <summary>Creates a trainer for <paramref name="model"/> (not owned) playing <paramref name="environment"/>.</summary>
    /// <param name="model">The policy being trained: every parameter with <c>RequiresGrad</c> is updated.</param>
    /// <param name="chat">The tokenizer and chat template the model was trained with.</param>
    /// <param name="environment">Where the train tasks (rollouts) and test tasks (evaluation) come from.</param>
    /// <param name="config">The run's settings.</param>
    /// <param name="reference">The frozen reference for the KL term (not owned); null makes a frozen copy of
    /// <paramref name="model"/> now when β &gt; 0.</param>
    public GrpoTrainer(TransformerModel model, ChatFormatter chat, IEnvironmentFactory environment, GrpoConfig config,
        TransformerModel? reference = null)
        : this(model ?? throw new ArgumentNullException(nameof(model)), null, chat, environment, config, reference)
    {
    }

    /// <summary>
    /// Creates a trainer for the adapters of <paramref name="lora"/> (not owned): rollouts run the adapted model, only A
    /// and B are updated and checkpointed, and the KL reference (β &gt; 0) is the same model with its adapters disabled
    /// unless <paramref name="reference"/> is given, so no copy of the base is made.
    /// </summary>
    /// <param name="lora">The adapted policy.</param>
    /// <param name="chat">The tokenizer and chat template the model was trained with.</param>
    /// <param name="environment">Where the train tasks (rollouts) and test tasks (evaluation) come from.</param>
    /// <param name="config">The run's settings.</param>
    /// <param name="reference">An explicit frozen KL reference (not owned); null uses the base with adapters disabled.</param>
    public GrpoTrainer(LoraModel lora, ChatFormatter chat, IEnvironmentFactory environment, GrpoConfig config,
        TransformerModel? reference = null)
        : this((lora ?? throw new ArgumentNullException(nameof(lora))).Model, lora, chat, environment, config, reference)
    {
    }

    private GrpoTrainer(TransformerModel model, LoraModel? lora, ChatFormatter chat, IEnvironmentFactory environment,
        GrpoConfig config, TransformerModel? reference)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _model = model;
        _chat = chat;
        _environment = environment;
        Config = config;
        _lora = lora;
        _trainable = lora is null ? TrainableSet.Of(model, nameof(GrpoTrainer)) : TrainableSet.Of(lora, nameof(GrpoTrainer));
        if (config.Beta > 0 && !(reference is null && lora is not null))
        {
            _ownsReference = reference is null;
            _reference = reference ?? FrozenCopy(model);
        }
        Optimizer = new AdamW(_trainable, new AdamWOptions
        {
            LearningRate = config.LearningRate, Beta1 = config.Beta1, Beta2 = config.Beta2, WeightDecay = config.WeightDecay,
        });
        int updates = config.MaxSteps * config.InnerEpochs;
        _schedule = config.Schedule.Build(config.LearningRate, config.WarmupSteps, updates, config.MinLrRatio);
        Policy = new LocalPolicy(model, chat);
        _sequences = new RolloutSequenceBuilder(chat, config.MaxLength);
        _taskPool = environment.Tasks(DataSplit.Train, config.TrainTasks, config.TrainTaskOffset);
        if (_taskPool.Count < config.TasksPerStep + config.OversampleTasks)
            throw new ArgumentException($"GrpoTrainer: environment '{environment.Name}' has {_taskPool.Count} train tasks, fewer than TasksPerStep + OversampleTasks ({config.TasksPerStep + config.OversampleTasks}).");
    }

    /// <summary>The run's settings.</summary>
    public GrpoConfig Config { get; }

    /// <summary>The parameters being trained.</summary>
    public ParameterSet TrainableParameters => _trainable;

    /// <summary>The optimizer; its step count is the number of updates taken (μ per GRPO step).</summary>
    public AdamW Optimizer { get; }

    /// <summary>The policy the rollouts and evaluations run: the live model behind the chat template.</summary>
    public LocalPolicy Policy { get; }

    /// <summary>The frozen reference model (null when β = 0, or when the reference is the LoRA base with adapters disabled).</summary>
    public TransformerModel? Reference => _reference;

    /// <summary>True when the KL reference is the LoRA model with its adapters disabled (β &gt; 0, no reference given).</summary>
    public bool ReferenceIsBaseWithAdaptersDisabled => Config.Beta > 0 && _reference is null;

    /// <summary>Runs <see cref="GrpoConfig.MaxSteps"/> steps (from the last checkpoint when resuming).</summary>
    public async Task<GrpoResult> TrainAsync(CancellationToken cancellationToken = default)
    {
        var c = Config;
        var clock = Stopwatch.StartNew();

        // Run directory: checkpoints with resume, metrics.jsonl, eval.jsonl.
        var state = TrainableSet.State(_trainable, Optimizer, _lora);
        using var run = RunDirectory.Open(c.OutputDir, c.Resume, c.KeepLast, c.SaveEvery, state, JsonSerializer.Serialize(c, JsonOptions));
        var metrics = run.Metrics;
        long step = run.Step;   // the data position follows from the step (TasksForStep)
        using var evalLog = c.OutputDir is null || c.EvalEvery == 0 ? null
            : step > 0 ? EvalLog.Resume(Path.Combine(c.OutputDir, "eval.jsonl"), step, "grpo")
            : EvalLog.Create(Path.Combine(c.OutputDir, "eval.jsonl"), "grpo");
        ITrainingProgress? progress = c.ProgressSink ?? (c.ShowProgress ? ProgressLine.ForStandardError(c.MaxSteps) : null);
        progress?.Start(c.MaxSteps);

        var steps = new List<(long, GrpoStepResult)>();
        var evaluations = new List<(long, EvaluationReport)>();
        double generating = 0, training = 0, evaluating = 0;
        async Task Evaluate(long atStep)
        {
            var evalClock = Stopwatch.StartNew();
            var report = await EvaluateAsync(c.EvalTasks, cancellationToken).ConfigureAwait(false);
            evaluating += evalClock.Elapsed.TotalSeconds;
            evaluations.Add((atStep, report));
            evalLog?.Write(atStep, report, c.EvalTemperature);
        }
        if (c.EvalEvery > 0 && step == 0) await Evaluate(0).ConfigureAwait(false);

        while (step < c.MaxSteps)
        {
            // 1–2. Rollouts: G seeded episodes of each of the step's tasks with the current weights.
            var generationClock = Stopwatch.StartNew();
            var groups = await RolloutAsync(TasksForStep(step), RolloutSeed(step), cancellationToken).ConfigureAwait(false);
            double generationSeconds = generationClock.Elapsed.TotalSeconds;

            // 3–6. Advantages, sequences, reference pass, μ updates.
            var trainClock = Stopwatch.StartNew();
            var r = Step(groups, step + 1, c.OversampleTasks > 0 ? c.TasksPerStep : int.MaxValue);
            double trainSeconds = trainClock.Elapsed.TotalSeconds;
            generating += generationSeconds;
            training += trainSeconds;
            step++;
            steps.Add((step, r));

            // 7. Metrics, evaluation, checkpoint.
            if (metrics is not null) metrics.Write(ToMetrics(step, r, generationSeconds, trainSeconds, clock.Elapsed.TotalSeconds));
            progress?.Report(step, r.Updates > 0 ? r.Loss : 0, r.Tokens);
            if (r.InfrastructureErrors > 0)
                Console.Error.WriteLine($"warning: GRPO step {step}: {r.InfrastructureErrors} of {r.InfrastructureErrors + r.Episodes} episodes " +
                    $"ended in infrastructure errors and were left out; first: {r.FirstInfrastructureError}");
            if (c.EvalEvery > 0 && (step % c.EvalEvery == 0 || step == c.MaxSteps)) await Evaluate(step).ConfigureAwait(false);
            if (run.SaveDue(step, c.MaxSteps))
            {
                long next = step * TasksPlayedPerStep;
                run.Save(step, new DataPosition((int)(next / _taskPool.Count), next % _taskPool.Count));
            }
        }
        progress?.Finish();
        return new GrpoResult
        {
            Steps = step, StepResults = steps, Evaluations = evaluations, GenerationSeconds = generating,
            TrainingSeconds = training, EvaluationSeconds = evaluating, ElapsedSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>
    /// The train tasks of step <paramref name="step"/> (0-based): positions [step·B, step·B + B) of the pool's epochs laid
    /// end to end, epoch e being the pool shuffled with <c>Seed + e</c>.
    /// </summary>
    public IReadOnlyList<EnvironmentTask> TasksForStep(long step)
    {
        int n = _taskPool.Count, b = TasksPlayedPerStep;
        var tasks = new EnvironmentTask[b];
        int cachedEpoch = -1;
        int[] order = [];
        for (int k = 0; k < b; k++)
        {
            long index = step * b + k;
            int epoch = (int)(index / n);
            if (epoch != cachedEpoch) (order, cachedEpoch) = (Permutation(n, unchecked(Config.Seed + epoch)), epoch);
            tasks[k] = _taskPool[order[(int)(index % n)]];
        }
        return tasks;
    }

    private int TasksPlayedPerStep => Config.TasksPerStep + Config.OversampleTasks;

    /// <summary>
    /// Plays <see cref="GrpoConfig.GroupSize"/> episodes of each task with the current weights; returns one group per
    /// task, in task order.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<Trajectory>>> RolloutAsync(IReadOnlyList<EnvironmentTask> tasks, int seed,
        CancellationToken cancellationToken = default)
    {
        var c = Config;
        var runner = new RolloutRunner(_environment, PolicySource.Shared(Policy, "grpo"), new RolloutOptions
        {
            SamplesPerTask = c.GroupSize, MaxParallelism = c.RolloutParallelism, MaxTurns = c.MaxTurns,
            MaxGeneratedTokens = c.MaxEpisodeTokens, Seed = seed,
            Sampling = new SamplingOptions { Temperature = c.Temperature, TopP = c.TopP, MaxTokens = c.MaxTokensPerTurn },
        });
        var all = await runner.RunAllAsync(tasks, null, cancellationToken).ConfigureAwait(false); // plan order: task by task
        var groups = new IReadOnlyList<Trajectory>[tasks.Count];
        for (int i = 0; i < tasks.Count; i++) groups[i] = all.Skip(i * c.GroupSize).Take(c.GroupSize).ToArray();
        return groups;
    }

    /// <summary>One episode each on the first <paramref name="tasks"/> test tasks, at <see cref="GrpoConfig.EvalTemperature"/> (0: greedy).</summary>
    public async Task<EvaluationReport> EvaluateAsync(int tasks, CancellationToken cancellationToken = default) =>
        TrajectoryEvaluator.Evaluate(await EvaluationEpisodesAsync(tasks, cancellationToken).ConfigureAwait(false), policy: "grpo", split: "test");

    /// <summary>The episodes <see cref="EvaluateAsync"/> scores, for inspection: one per test task, in task order.</summary>
    public async Task<IReadOnlyList<Trajectory>> EvaluationEpisodesAsync(int tasks, CancellationToken cancellationToken = default)
    {
        var c = Config;
        var runner = new RolloutRunner(_environment, PolicySource.Shared(Policy, "grpo"), new RolloutOptions
        {
            MaxParallelism = c.RolloutParallelism, MaxTurns = c.MaxTurns, MaxGeneratedTokens = c.MaxEpisodeTokens, Seed = c.Seed,
            Sampling = new SamplingOptions { Temperature = c.EvalTemperature, MaxTokens = c.MaxTokensPerTurn },
        });
        return await runner.RunAllAsync(_environment.Tasks(DataSplit.Test, tasks), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One GRPO update from rollouts already played: advantages per group, token-in/token-out sequences, reference
    /// log-probs, μ optimizer updates. Every action step must carry the token ids and log-probs its policy generated.
    /// </summary>
    /// <param name="groups">One list per task: its episodes (infrastructure errors are left out here).</param>
    /// <param name="step">The 1-based step number, used in error messages of the NaN guard.</param>
    /// <param name="maxTrainedGroups">Groups with differing rewards beyond this many (in order) are surplus: counted in
    /// the reward metrics, left out of the update (<see cref="GrpoConfig.OversampleTasks"/>).</param>
    public GrpoStepResult Step(IReadOnlyList<IReadOnlyList<Trajectory>> groups, long step, int maxTrainedGroups = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var c = Config;

        // Rewards → advantages per group; the episodes that enter the update become sequences.
        var advantageOptions = new AdvantageOptions { Estimator = c.Estimator, Std = c.RewardStd };
        var sequences = new List<TokenizedSequence>();
        var advantages = new List<float>();
        var rewards = new List<double>();
        int infraErrors = 0, truncated = 0, successes = 0, skipped = 0, trainedGroups = 0, surplus = 0;
        string? firstInfraError = null;
        long generatedTokens = 0;
        foreach (var group in groups)
        {
            var scored = new List<Trajectory>();
            foreach (var t in group)
            {
                if (t.Status == EpisodeStatus.InfrastructureError || t.Reward is null)
                {
                    infraErrors++;
                    firstInfraError ??= $"{t.Id}: {t.StatusDetail ?? "no reward"}";
                    continue;
                }
                scored.Add(t);
                rewards.Add(t.Reward.Value);
                if (t.Success == true) successes++;
                if (t.Status == EpisodeStatus.Truncated) truncated++;
                generatedTokens += GeneratedTokens(t);
            }
            var groupRewards = scored.Select(t => (float)t.Reward!.Value).ToArray();
            if (scored.Count < 2 || (c.SkipZeroVarianceGroups && GroupAdvantages.IsZeroVariance(groupRewards)))
            {
                skipped++;
                continue;
            }
            if (trainedGroups == maxTrainedGroups)
            {
                surplus++;
                continue;
            }
            trainedGroups++;
            var groupAdvantages = GroupAdvantages.ForGroup(groupRewards, advantageOptions);
            for (int i = 0; i < scored.Count; i++)
            {
                var sequence = BuildSequence(scored[i]);
                if (sequence.TrainableTokenCount == 0) continue;
                sequences.Add(sequence);
                advantages.Add(groupAdvantages[i]);
            }
        }
        int episodes = rewards.Count;
        double rewardMean = episodes > 0 ? rewards.Average() : 0;
        double rewardStd = episodes > 1 ? Math.Sqrt(rewards.Sum(x => (x - rewardMean) * (x - rewardMean)) / (episodes - 1)) : 0;
        var result = new GrpoStepResult
        {
            Episodes = episodes, InfrastructureErrors = infraErrors, FirstInfrastructureError = firstInfraError, Truncated = truncated, RewardMean = rewardMean,
            RewardStd = rewardStd, SuccessRate = episodes > 0 ? (double)successes / episodes : 0,
            ResponseLength = episodes > 0 ? (double)generatedTokens / episodes : 0, Groups = groups.Count, SkippedGroups = skipped,
            SurplusGroups = surplus,
        };
        if (sequences.Count == 0) return result;

        // Padded micro-batches; reference log-probs (B, T) once, before any update.
        int padId = _chat.Tokenizer.PadTokenId ?? _chat.EndOfTurnTokenId;
        var batches = LengthBucketBatcher.CreateBatches(sequences, padId, new LengthBucketOptions
        {
            MaxTokensPerBatch = c.MaxTokensPerMicroBatch, MaxBatchSize = c.MaxSequencesPerMicroBatch, Shuffle = false,
        });
        var inputs = new List<PolicyLossInputs>(batches.Count);
        double maskTotal = 0;
        long tokens = 0;
        foreach (var batch in batches)
        {
            float[]? referenceLogProbs = c.Beta > 0 ? ReferenceLogProbs(batch) : null;
            var rowAdvantages = batch.SequenceIndices.Select(i => advantages[i]).ToArray();
            var input = PolicyLossInputs.FromBatch(batch, rowAdvantages, referenceLogProbs);
            inputs.Add(input);
            foreach (var m in input.Mask) maskTotal += m;
            tokens += batch.SequenceLengths.Sum();
        }
        var lossOptions = new PolicyLossOptions
        {
            ClipLow = c.ClipLow, ClipHigh = c.ClipHigh, Beta = c.Beta, Aggregation = c.Aggregation,
            FixedLength = c.FixedLength > 0 ? c.FixedLength : c.MaxLength,
            StepMaskTotal = maskTotal, StepSequenceCount = sequences.Count,
        };

        // μ updates over the whole batch: the micro-batch gradients add up to the step's (step-wide normalisers).
        var totals = new MetricTotals();
        double lossSum = 0, gradNorm = double.NaN;
        for (int epoch = 0; epoch < c.InnerEpochs; epoch++)
        {
            _trainable.ZeroGrad();
            double loss = 0;
            for (int k = 0; k < batches.Count; k++)
            {
                var batch = batches[k];
                _tape.Reset();
                var logits = _model.Forward(_tape, batch.Ids, batch.BatchSize, batch.Length);        // (B, T, V)
                var logProbs = CausalLmLoss.NextTokenLogProbs(_tape, logits, batch.Ids);            // (B, T)
                var r = PolicyLoss.Compute(_tape, logProbs, inputs[k], lossOptions, logits);
                loss += r.Loss[0];
                totals.Add(r.Metrics);
                _tape.Backward(r.Loss);
                _tape.Reset();
            }
            NonFiniteGuard.CheckLoss(step, loss);
            gradNorm = c.MaxGradNorm > 0 ? GradientClipping.ClipByGlobalNorm(_trainable, c.MaxGradNorm) : GradientClipping.GlobalNorm(_trainable);
            NonFiniteGuard.CheckGradientNorm(step, gradNorm);
            Optimizer.LearningRate = _schedule.At(Optimizer.StepCount);
            Optimizer.Step();
            lossSum += loss;
        }
        return result with
        {
            Sequences = sequences.Count, TrainedTokens = (long)maskTotal, Tokens = tokens, Updates = c.InnerEpochs,
            Loss = lossSum / c.InnerEpochs, GradNorm = gradNorm, Kl = totals.ReferenceKl,
            ClipFraction = totals.ClipFraction, Entropy = totals.Entropy, ApproxKlToOld = totals.ApproxKl, MeanRatio = totals.Ratio,
        };
    }

    /// <summary>(B, T) log-probs of the batch under the frozen reference (or the LoRA base, adapters disabled), no gradients.</summary>
    private float[] ReferenceLogProbs(PaddedBatch batch)
    {
        using var disabled = _reference is null ? _lora!.DisableAdapters() : default;
        _tape.Reset();
        float[] logProbs;
        using (_tape.NoGrad())
        {
            var logits = (_reference ?? _model).Forward(_tape, batch.Ids, batch.BatchSize, batch.Length);
            logProbs = CausalLmLoss.NextTokenLogProbs(_tape, logits, batch.Ids).ToArray();
        }
        _tape.Reset();
        return logProbs;
    }

    /// <summary>The token-in/token-out training sequence of one episode, with a clear error when ids are missing.</summary>
    private TokenizedSequence BuildSequence(Trajectory trajectory)
    {
        foreach (var s in trajectory.Steps)
            if (s is ActionStep { TokenIds: null } or ActionStep { LogProbs: null })
                throw new ArgumentException($"GrpoTrainer: trajectory '{trajectory.Id}' has an action step without TokenIds/LogProbs; " +
                    "GRPO trains on the exact tokens its policy generated (play the rollouts with a LocalPolicy).");
        var sequence = _sequences.Build(trajectory);
        if (sequence.OldLogProbs is null)
            throw new ArgumentException($"GrpoTrainer: trajectory '{trajectory.Id}' produced a sequence without behaviour log-probs.");
        return sequence;
    }

    private static long GeneratedTokens(Trajectory trajectory)
    {
        long n = 0;
        foreach (var s in trajectory.Steps)
            if (s is ActionStep { TokenIds: { } ids }) n += ids.Count;
        return n;
    }

    private StepMetrics ToMetrics(long step, GrpoStepResult r, double generationSeconds, double trainSeconds, double elapsed)
    {
        var m = new StepMetrics(step)
        {
            Loss = r.Updates > 0 ? r.Loss : null, LearningRate = Optimizer.LearningRate,
            GradNorm = r.Updates > 0 ? r.GradNorm : null, Tokens = r.Tokens,
            TokensPerSecond = r.Tokens / Math.Max(1e-9, trainSeconds), ElapsedSeconds = elapsed,
        }
            .Set("reward_mean", r.RewardMean).Set("reward_std", r.RewardStd).Set("success", r.SuccessRate)
            .Set("response_length", r.ResponseLength).Set("episodes", r.Episodes).Set("infra_errors", r.InfrastructureErrors)
            .Set("truncated", r.Truncated).Set("groups", r.Groups).Set("skipped_groups", r.SkippedGroups).Set("surplus_groups", r.SurplusGroups)
            .Set("trained_sequences", r.Sequences).Set("trained_tokens", r.TrainedTokens)
            .Set("generate_s", generationSeconds).Set("train_s", trainSeconds);
        if (r.Kl is { } kl) m.Set("kl", kl);
        if (r.ClipFraction is { } clip) m.Set("clip_fraction", clip);
        if (r.Entropy is { } entropy) m.Set("entropy", entropy);
        if (r.ApproxKlToOld is { } approx) m.Set("approx_kl_old", approx);
        if (r.MeanRatio is { } ratio) m.Set("ratio_mean", ratio);
        return m;
    }

    /// <summary>A Fisher–Yates permutation of 0..n−1 from <c>Rng(seed)</c>.</summary>
    private static int[] Permutation(int n, int seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        var rng = new Rng(unchecked((ulong)(uint)seed));
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>The rollout seed of 0-based step <paramref name="step"/>: every step plays fresh episode seeds.</summary>
    private int RolloutSeed(long step) => unchecked(Config.Seed * 1_000_003 + (int)step * 7919 + 1);

    /// <summary>A copy of <paramref name="model"/>'s weights that no optimizer touches (no gradients).</summary>
    private static TransformerModel FrozenCopy(TransformerModel model)
    {
        var copy = TransformerModel.Create(model.Config);
        foreach (var p in copy.Parameters)
        {
            model.Parameters[p.Name].Value.AsSpan().CopyTo(p.Value.AsSpan());
            p.Value.RequiresGrad = false;
        }
        return copy;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Policy.Dispose();
        _tape.Dispose();
        if (_ownsReference) _reference?.Dispose();
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true, Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Token-weighted means of the loss metrics over micro-batches and inner epochs.</summary>
    private sealed class MetricTotals
    {
        private double _tokens, _referenceKl, _clipFraction, _entropy, _approxKl, _ratio;
        private bool _hasReference, _hasEntropy;

        public void Add(PolicyLossMetrics m)
        {
            double w = m.TokenCount;
            _tokens += w;
            _clipFraction += w * m.ClipFraction;
            _approxKl += w * m.ApproxKl;
            _ratio += w * m.MeanRatio;
            if (m.ReferenceKl is { } kl) { _referenceKl += w * kl; _hasReference = true; }
            if (m.Entropy is { } e) { _entropy += w * e; _hasEntropy = true; }
        }

        public double? ReferenceKl => _hasReference ? Mean(_referenceKl) : null;
        public double? ClipFraction => Mean(_clipFraction);
        public double? Entropy => _hasEntropy ? Mean(_entropy) : null;
        public double? ApproxKl => Mean(_approxKl);
        public double? Ratio => Mean(_ratio);

        private double? Mean(double sum) => _tokens > 0 ? sum / _tokens : null;
    }
}
