using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Whetstone.Agents.Trajectories;
using Whetstone.Models.Lora;
using Whetstone.Models.Transformer;
using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Optim;
using Whetstone.Training.Checkpointing;
using Whetstone.Training.Data;
using Whetstone.Training.Data.Batching;
using Whetstone.Training.Metrics;
using Whetstone.Training.Objectives;
using Whetstone.Training.Progress;
using Whetstone.Training.Sft;

namespace Whetstone.Training.Dpo;

/// <summary>
/// Direct Preference Optimization (Rafailov et al. 2023) on agent trajectories, ETO-style: chosen = a successful
/// trajectory, rejected = a failed policy trajectory of the same task. Read top to bottom: tokenize each pair
/// (assistant-only mask) → reference log-prob sums once, under the frozen reference, without gradients → for each
/// optimizer step, micro-batches of P pairs forwarded as one (2P, T) batch (chosen rows first) → masked log-prob
/// sums → sigmoid DPO loss → backward → clip → AdamW at the scheduled rate → metrics, checkpoint.
/// </summary>
/// <remarks>
/// <para>Reference: by default a frozen copy of the policy's weights when the trainer is built (TRL's
/// <c>ref_model=None</c>). A trainer built from a <see cref="LoraModel"/> trains only the adapters and uses the same
/// model with its adapters disabled as the reference (the base), which needs no copy. The reference is used only
/// before the first step: its sums are constants.</para>
/// <para>Tokenization: a trajectory whose every assistant turn carries the ids a local policy generated is rebuilt
/// token-in/token-out by <see cref="RolloutSequenceBuilder"/> (the rejected sample's log-prob is then that of the
/// exact ids it sampled); other trajectories (expert demonstrations, remote models) are rendered with
/// <see cref="SftTokenizer"/>.</para>
/// <para>Accumulation: each micro-batch's loss is the mean over its pairs, back-propagated with weight
/// P_micro / P_step, so the step's gradient is that of the mean over all its pairs.</para>
/// </remarks>
public sealed class DpoTrainer : IDisposable
{
    private readonly TransformerModel _model;
    private readonly LoraModel? _lora;
    private readonly TransformerModel? _reference;   // null with LoRA: the reference is the model with adapters disabled
    private readonly bool _ownsReference;
    private readonly ChatFormatter _chat;
    private readonly ParameterSet _trainable;

    /// <summary>Creates a trainer for <paramref name="model"/> (not owned, trained in place).</summary>
    /// <param name="model">The policy: every parameter with RequiresGrad is trained.</param>
    /// <param name="chat">Its tokenizer and chat template.</param>
    /// <param name="config">The run's settings.</param>
    /// <param name="reference">The frozen reference; null copies <paramref name="model"/>'s current weights (owned).</param>
    public DpoTrainer(TransformerModel model, ChatFormatter chat, DpoConfig config, TransformerModel? reference = null)
        : this(model ?? throw new ArgumentNullException(nameof(model)), null, chat, config, reference)
    {
    }

    /// <summary>
    /// Creates a trainer for the adapters of <paramref name="lora"/> (not owned): only A and B are trained and
    /// checkpointed. The reference defaults to the same model with its adapters disabled (TRL with a PEFT model and
    /// <c>ref_model=None</c>), so no copy of the base is made.
    /// </summary>
    /// <param name="lora">The adapted policy.</param>
    /// <param name="chat">Its tokenizer and chat template.</param>
    /// <param name="config">The run's settings.</param>
    /// <param name="reference">An explicit frozen reference (not owned); null uses the base with adapters disabled.</param>
    public DpoTrainer(LoraModel lora, ChatFormatter chat, DpoConfig config, TransformerModel? reference = null)
        : this((lora ?? throw new ArgumentNullException(nameof(lora))).Model, lora, chat, config, reference)
    {
    }

    private DpoTrainer(TransformerModel model, LoraModel? lora, ChatFormatter chat, DpoConfig config, TransformerModel? reference)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _model = model;
        _lora = lora;
        _chat = chat;
        Config = config;
        _trainable = lora is null ? TrainableSet.Of(model, nameof(DpoTrainer)) : TrainableSet.Of(lora, nameof(DpoTrainer));
        _ownsReference = reference is null && lora is null;
        _reference = reference ?? (lora is null ? FrozenCopy(model) : null);
        Optimizer = new AdamW(_trainable, new AdamWOptions
        {
            LearningRate = config.LearningRate, Beta1 = config.Beta1, Beta2 = config.Beta2, WeightDecay = config.WeightDecay,
        });
    }

    /// <summary>The run's settings.</summary>
    public DpoConfig Config { get; }

    /// <summary>The optimizer.</summary>
    public AdamW Optimizer { get; }

    /// <summary>The parameters being trained: the LoRA adapters' A and B, or the model's tensors with RequiresGrad.</summary>
    public ParameterSet TrainableParameters => _trainable;

    /// <summary>True when the reference is the LoRA model with its adapters disabled (no separate reference weights).</summary>
    public bool ReferenceIsBaseWithAdaptersDisabled => _reference is null;

    /// <summary>A new model with <paramref name="model"/>'s configuration and a copy of its weights, none trainable.</summary>
    public static TransformerModel FrozenCopy(TransformerModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var copy = TransformerModel.Create(model.Config);
        foreach (var p in copy.Parameters)
        {
            if (!model.Parameters.TryGet(p.Name, out var source))
                throw new InvalidOperationException($"DpoTrainer.FrozenCopy: the model has no parameter '{p.Name}' (extensions such as adapters are not copied).");
            p.Value.CopyFrom(source.Value.AsSpan());
            p.Value.RequiresGrad = false;
        }
        return copy;
    }

    /// <summary>Tokenizes the pairs; pairs where either side has no assistant token left (after truncation) are dropped.</summary>
    public IReadOnlyList<TokenizedPair> Tokenize(IReadOnlyList<PreferencePair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var sft = new SftTokenizer(_chat, new SftTokenizerOptions { MaxLength = Config.MaxLength });
        var rollout = new RolloutSequenceBuilder(_chat, Config.MaxLength);
        var result = new List<TokenizedPair>(pairs.Count);
        foreach (var p in pairs)
        {
            var chosen = Sequence(p.Chosen, sft, rollout);
            var rejected = Sequence(p.Rejected, sft, rollout);
            if (chosen.TrainableTokenCount > 0 && rejected.TrainableTokenCount > 0) result.Add(new TokenizedPair(chosen, rejected));
        }
        return result;
    }

    private static TokenizedSequence Sequence(Trajectory t, SftTokenizer sft, RolloutSequenceBuilder rollout)
    {
        if (t.Status == EpisodeStatus.InfrastructureError)
            throw new ArgumentException($"DpoTrainer: trajectory '{t.Id}' ended in an infrastructure error and cannot be a preference example.");
        var actions = t.Steps.OfType<ActionStep>().ToList();
        // Policy samples keep their generated ids (token-in/token-out); PaddedBatch drops the behaviour log-probs DPO
        // does not need when a batch mixes them with expert text.
        if (actions.Count > 0 && actions.All(a => a.TokenIds is { Count: > 0 }))
            return rollout.Build(t);
        var sequences = sft.Tokenize(t);
        if (sequences.Count != 1)
            throw new ArgumentException($"DpoTrainer: trajectory '{t.Id}' tokenizes into {sequences.Count} sequences; DPO needs exactly one per side.");
        return sequences[0];
    }

    /// <summary>Tokenizes and trains on <paramref name="pairs"/>.</summary>
    public DpoResult Train(IReadOnlyList<PreferencePair> pairs) => Train(Tokenize(pairs));

    /// <summary>Trains on tokenized pairs.</summary>
    public DpoResult Train(IReadOnlyList<TokenizedPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0) throw new ArgumentException("DpoTrainer: no preference pair with trainable tokens on both sides.", nameof(pairs));
        var c = Config;
        var options = new DpoOptions { Beta = c.Beta, LabelSmoothing = c.LabelSmoothing };
        using var tape = new Tape();
        var sequences = Flatten(pairs);                 // 2i = chosen of pair i, 2i + 1 = rejected
        var referenceSums = ReferenceSums(tape, sequences);
        int batchesPerEpoch = (pairs.Count + c.PairsPerMicroBatch - 1) / c.PairsPerMicroBatch;
        long totalSteps = c.MaxSteps > 0 ? c.MaxSteps : (long)Math.Ceiling((double)c.Epochs * batchesPerEpoch / c.GradientAccumulationSteps);
        var schedule = c.Schedule.Build(c.LearningRate, c.WarmupSteps, (int)totalSteps, c.MinLrRatio);

        var state = TrainableSet.State(_trainable, Optimizer, _lora);
        using var run = RunDirectory.Open(c.OutputDir, c.Resume, c.KeepLast, c.SaveEvery, state, JsonSerializer.Serialize(c, JsonOptions));
        var metrics = run.Metrics;
        long step = run.Step;
        var position = run.Position;
        ITrainingProgress? progress = c.ProgressSink ?? (c.ShowProgress ? ProgressLine.ForStandardError(totalSteps) : null);
        progress?.Start(totalSteps);

        var losses = new List<double>();
        var stepMetrics = new List<DpoMetrics>();
        long tokensSeen = 0;
        var clock = Stopwatch.StartNew();
        while (step < totalSteps)
        {
            var stepClock = Stopwatch.StartNew();
            // 1. The step's micro-batches of pair indices.
            var micro = new List<int[]>(c.GradientAccumulationSteps);
            for (int k = 0; k < c.GradientAccumulationSteps; k++)
            {
                micro.Add(PairsAt(position, pairs.Count));
                position = Next(position, batchesPerEpoch);
            }
            int stepPairs = micro.Sum(m => m.Length);

            // 2. Forward + backward per micro-batch, each weighted by its share of the step's pairs.
            _trainable.ZeroGrad();
            double loss = 0, accuracy = 0, margin = 0, chosen = 0, rejected = 0, chosenLogp = 0, rejectedLogp = 0;
            long stepTokens = 0;
            foreach (var indices in micro)
            {
                float weight = (float)indices.Length / stepPairs;
                var (microLoss, m, sums, tokens) = ForwardBackward(tape, sequences, referenceSums, indices, options, weight);
                loss += weight * microLoss;
                accuracy += weight * m.RewardAccuracy;
                margin += weight * m.RewardMargin;
                chosen += weight * m.ChosenReward;
                rejected += weight * m.RejectedReward;
                for (int i = 0; i < indices.Length; i++)
                {
                    chosenLogp += sums[i] / stepPairs;
                    rejectedLogp += sums[indices.Length + i] / stepPairs;
                }
                stepTokens += tokens;
            }
            NonFiniteGuard.CheckLoss(step + 1, loss);

            // 3. Clip, schedule, update.
            double gradNorm = c.MaxGradNorm > 0 ? GradientClipping.ClipByGlobalNorm(_trainable, c.MaxGradNorm) : GradientClipping.GlobalNorm(_trainable);
            NonFiniteGuard.CheckGradientNorm(step + 1, gradNorm);
            Optimizer.LearningRate = schedule.At(step);
            Optimizer.Step();
            step++;
            tokensSeen += stepTokens;
            losses.Add(loss);
            var dm = new DpoMetrics
            {
                PairCount = stepPairs, RewardAccuracy = accuracy, RewardMargin = margin, ChosenReward = chosen, RejectedReward = rejected,
            };
            stepMetrics.Add(dm);

            // 4. Metrics, progress, checkpoint.
            metrics?.Write(new StepMetrics(step)
            {
                Epoch = position.Epoch + (double)position.Index / batchesPerEpoch,
                Loss = loss, LearningRate = Optimizer.LearningRate, GradNorm = gradNorm, Tokens = stepTokens,
                TokensPerSecond = stepTokens / Math.Max(1e-9, stepClock.Elapsed.TotalSeconds), ElapsedSeconds = clock.Elapsed.TotalSeconds,
            }.Set("reward_accuracy", accuracy).Set("reward_margin", margin).Set("chosen_reward", chosen).Set("rejected_reward", rejected)
             .Set("chosen_logp", chosenLogp).Set("rejected_logp", rejectedLogp).Set("pairs", stepPairs));
            progress?.Report(step, loss, stepTokens);
            if (run.SaveDue(step, totalSteps)) run.Save(step, position);
        }
        progress?.Finish();
        return new DpoResult
        {
            Steps = step, StepLosses = losses, StepMetrics = stepMetrics, Tokens = tokensSeen, ElapsedSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>
    /// The DPO loss and implicit-reward metrics of the current policy on <paramref name="pairs"/> (e.g. held-out
    /// pairs), without gradients and without changing anything.
    /// </summary>
    public (double Loss, DpoMetrics Metrics) Evaluate(IReadOnlyList<TokenizedPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0) throw new ArgumentException("DpoTrainer.Evaluate: no pairs.", nameof(pairs));
        using var tape = new Tape();
        var sequences = Flatten(pairs);
        var reference = ReferenceSums(tape, sequences);
        bool training = _lora?.Training ?? false;
        if (_lora is not null) _lora.Training = false;   // evaluation: no adapter dropout
        float[] policy;
        try { policy = Sums(tape, _model, sequences); }
        finally { if (_lora is not null) _lora.Training = training; }
        var chosenIdx = Enumerable.Range(0, pairs.Count).Select(i => 2 * i).ToArray();
        var rejectedIdx = Enumerable.Range(0, pairs.Count).Select(i => 2 * i + 1).ToArray();
        using (tape.NoGrad())
        {
            var r = DpoLoss.Compute(tape,
                tape.NewTensor(new Whetstone.Tensors.Shape(pairs.Count), chosenIdx.Select(i => policy[i]).ToArray()),
                tape.NewTensor(new Whetstone.Tensors.Shape(pairs.Count), rejectedIdx.Select(i => policy[i]).ToArray()),
                chosenIdx.Select(i => reference[i]).ToArray(), rejectedIdx.Select(i => reference[i]).ToArray(),
                new DpoOptions { Beta = Config.Beta, LabelSmoothing = Config.LabelSmoothing });
            double loss = r.Loss[0];
            tape.Reset();
            return (loss, r.Metrics);
        }
    }

    /// <summary>
    /// One micro-batch of P pairs as a (2P, T) batch, chosen rows first: policy sums on the tape, DPO loss, backward
    /// with seed <paramref name="weight"/>. Returns the loss, the (2P) policy sums and the non-padding tokens.
    /// </summary>
    private (double Loss, DpoMetrics Metrics, float[] Sums, long Tokens) ForwardBackward(Tape tape, IReadOnlyList<TokenizedSequence> sequences,
        float[] referenceSums, int[] pairIndices, DpoOptions options, float weight)
    {
        tape.Reset();
        int p = pairIndices.Length;
        var rows = pairIndices.Select(i => 2 * i).Concat(pairIndices.Select(i => 2 * i + 1)).ToArray();
        var batch = PaddedBatch.Create(sequences, rows, PadId);
        var logits = _model.Forward(tape, batch.Ids, batch.BatchSize, batch.Length);              // (2P, T, V)
        var logProbs = CausalLmLoss.NextTokenLogProbs(tape, logits, batch.Ids);                    // (2P, T)
        var sums = SequenceLogProbs.Sum(tape, logProbs, batch.LossMask);                           // (2P)
        var reference = rows.Select(r => referenceSums[r]).ToArray();
        var result = DpoLoss.Compute(tape, sums, reference, options);
        var loss = result.Loss;
        if (Config.RpoAlpha > 0)
        {
            // + α·NLL of the chosen rows, token mean: −Σ chosen sums / chosen tokens.
            double chosenTokens = 0;
            for (int row = 0; row < p; row++)
                for (int t = 1; t < batch.Length; t++) chosenTokens += batch.LossMask[row * batch.Length + t];
            var nll = tape.Scale(tape.Sum(tape.Slice(sums, 0, p)), (float)(-Config.RpoAlpha / Math.Max(1, chosenTokens)));
            loss = tape.Add(loss, nll);
        }
        double value = loss[0];
        var sumValues = sums.ToArray();
        tape.Backward(loss, [weight]);
        tape.Reset();
        return (value, result.Metrics, sumValues, batch.SequenceLengths.Sum());
    }

    /// <summary>(2N) log-prob sums of every sequence under the reference, without gradients.</summary>
    private float[] ReferenceSums(Tape tape, IReadOnlyList<TokenizedSequence> sequences)
    {
        if (_reference is not null) return Sums(tape, _reference, sequences);
        using (_lora!.DisableAdapters()) return Sums(tape, _model, sequences);
    }

    private float[] Sums(Tape tape, TransformerModel model, IReadOnlyList<TokenizedSequence> sequences)
    {
        var sums = new float[sequences.Count];
        int rowsPerBatch = 2 * Config.PairsPerMicroBatch;
        for (int start = 0; start < sequences.Count; start += rowsPerBatch)
        {
            var rows = Enumerable.Range(start, Math.Min(rowsPerBatch, sequences.Count - start)).ToArray();
            var batch = PaddedBatch.Create(sequences, rows, PadId);
            tape.Reset();
            using (tape.NoGrad())
            {
                var logits = model.Forward(tape, batch.Ids, batch.BatchSize, batch.Length);
                var s = SequenceLogProbs.Sum(tape, CausalLmLoss.NextTokenLogProbs(tape, logits, batch.Ids), batch.LossMask).AsSpan();
                for (int i = 0; i < rows.Length; i++) sums[rows[i]] = s[i];
            }
        }
        tape.Reset();
        return sums;
    }

    private int PadId => _chat.Tokenizer.PadTokenId ?? _chat.EndOfTurnTokenId;

    private static List<TokenizedSequence> Flatten(IReadOnlyList<TokenizedPair> pairs)
    {
        var list = new List<TokenizedSequence>(2 * pairs.Count);
        foreach (var p in pairs)
        {
            list.Add(p.Chosen);
            list.Add(p.Rejected);
        }
        return list;
    }

    /// <summary>The pair indices of micro-batch <c>position.Index</c> of epoch <c>position.Epoch</c> (shuffled with Seed + epoch).</summary>
    private int[] PairsAt(DataPosition position, int pairCount)
    {
        var order = Enumerable.Range(0, pairCount).ToArray();
        new Random(unchecked(Config.Seed + position.Epoch)).Shuffle(order);
        int start = (int)position.Index * Config.PairsPerMicroBatch;
        return order[start..Math.Min(pairCount, start + Config.PairsPerMicroBatch)];
    }

    private static DataPosition Next(DataPosition p, int batchesPerEpoch) =>
        p.Index + 1 < batchesPerEpoch ? new DataPosition(p.Epoch, p.Index + 1) : new DataPosition(p.Epoch + 1, 0);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true, Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Disposes the reference copy when this trainer made it (never the model or its adapters).</summary>
    public void Dispose()
    {
        if (_ownsReference) _reference?.Dispose();
    }
}
