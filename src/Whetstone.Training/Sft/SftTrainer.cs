using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Whetstone.Agents.Trajectories;
using Whetstone.Models.Lora;
using Whetstone.Models.Transformer;
using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Optim;
using Whetstone.Training.Checkpointing;
using Whetstone.Training.Data;
using Whetstone.Training.Data.Batching;
using Whetstone.Training.Metrics;
using Whetstone.Training.Progress;

namespace Whetstone.Training.Sft;

/// <summary>
/// Supervised fine-tuning of a <see cref="TransformerModel"/> on trajectories (e.g. expert rollouts), with the loss on
/// the assistant's own tokens only. Read top to bottom: tokenize → length-bucketed padded micro-batches → for each
/// optimizer step, forward/backward over <see cref="SftConfig.GradientAccumulationSteps"/> micro-batches → clip →
/// AdamW at the scheduled learning rate → metrics, eval, checkpoint.
/// </summary>
/// <remarks>
/// <para>Full fine-tuning trains every model parameter whose tensor has <c>RequiresGrad</c> (freeze a tensor by clearing
/// its flag). LoRA: build the trainer from a <see cref="LoraModel"/>; then only the adapters' A and B are trained,
/// clipped, stepped by AdamW and checkpointed (the base gets no gradient buffer and no optimizer moments).</para>
/// <para>Accumulation is exact: each micro-batch's loss is the SUM of its token losses and its gradient is scaled by
/// 1 / (masked tokens of the whole step), so one step over 8 sequences equals 8 micro-batches of 1 (tested).</para>
/// <para>DFT: the per-token weight mask·p is computed from the same logits with <c>NextTokenLogProbs</c> inside a
/// no-grad scope and passed to <see cref="CausalLmLoss.NextToken"/> as a plain float weight, so p is detached.</para>
/// <para>Data order: epoch e is cut into batches by <see cref="LengthBucketBatcher"/> with seed <c>Seed + e</c>; the
/// position saved with a checkpoint is (epoch, micro-batch index), so a resumed run sees the same batches.</para>
/// </remarks>
public sealed class SftTrainer
{
    private readonly TransformerModel _model;
    private readonly LoraModel? _lora;
    private readonly ChatFormatter _chat;
    private readonly ParameterSet _trainable;

    /// <summary>Creates a trainer for <paramref name="model"/> (not owned): every parameter with RequiresGrad is trained.</summary>
    public SftTrainer(TransformerModel model, ChatFormatter chat, SftConfig config)
        : this(model ?? throw new ArgumentNullException(nameof(model)), null, chat, config)
    {
    }

    /// <summary>
    /// Creates a trainer for the adapters of <paramref name="lora"/> (not owned): only A and B are in the optimizer;
    /// the base stays frozen and bit-identical, and checkpoints hold the adapters and their AdamW moments.
    /// </summary>
    public SftTrainer(LoraModel lora, ChatFormatter chat, SftConfig config)
        : this((lora ?? throw new ArgumentNullException(nameof(lora))).Model, lora, chat, config)
    {
    }

    private SftTrainer(TransformerModel model, LoraModel? lora, ChatFormatter chat, SftConfig config)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _model = model;
        _lora = lora;
        _chat = chat;
        Config = config;
        _trainable = lora is null ? TrainableSet.Of(model, nameof(SftTrainer)) : TrainableSet.Of(lora, nameof(SftTrainer));
        Optimizer = new AdamW(_trainable, new AdamWOptions
        {
            LearningRate = config.LearningRate, Beta1 = config.Beta1, Beta2 = config.Beta2, WeightDecay = config.WeightDecay,
        });
    }

    /// <summary>The run's settings.</summary>
    public SftConfig Config { get; }

    /// <summary>The parameters being trained: the LoRA adapters' A and B, or the model's tensors with RequiresGrad when
    /// the trainer was built.</summary>
    public ParameterSet TrainableParameters => _trainable;

    /// <summary>The optimizer (its moments persist across <see cref="Train(IReadOnlyList{TokenizedSequence}, IReadOnlyList{TokenizedSequence}?)"/> calls).</summary>
    public AdamW Optimizer { get; }

    /// <summary>
    /// Tokenizes trajectories with <see cref="SftTokenizer"/> (assistant-only mask; infrastructure errors and sequences
    /// with nothing to train are dropped) and trains on them.
    /// </summary>
    public SftResult Train(IReadOnlyList<Trajectory> train, IReadOnlyList<Trajectory>? eval = null) =>
        Train(Tokenize(train), eval is null ? null : Tokenize(eval));

    /// <summary>The training sequences of <paramref name="trajectories"/> under this trainer's chat template.</summary>
    public IReadOnlyList<TokenizedSequence> Tokenize(IReadOnlyList<Trajectory> trajectories)
    {
        var tokenizer = new SftTokenizer(_chat, new SftTokenizerOptions { MaxLength = Config.MaxLength });
        var sequences = new List<TokenizedSequence>();
        foreach (var t in trajectories)
        {
            if (t.Status == EpisodeStatus.InfrastructureError) continue;
            foreach (var s in tokenizer.Tokenize(t))
                if (s.TrainableTokenCount > 0) sequences.Add(s);
        }
        return sequences;
    }

    /// <summary>Trains on already tokenized sequences (ids + loss mask per target token).</summary>
    public SftResult Train(IReadOnlyList<TokenizedSequence> train, IReadOnlyList<TokenizedSequence>? eval = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0) throw new ArgumentException("SftTrainer: the training set has no sequence with trainable tokens.", nameof(train));
        var c = Config;
        int padId = _chat.Tokenizer.PadTokenId ?? _chat.EndOfTurnTokenId;
        var data = new EpochBatches(train, padId, c);
        long totalSteps = c.MaxSteps > 0 ? c.MaxSteps
            : (long)Math.Ceiling((double)c.Epochs * data.BatchesIn(0) / c.GradientAccumulationSteps);
        var schedule = c.Schedule.Build(c.LearningRate, c.WarmupSteps, (int)totalSteps, c.MinLrRatio);
        var evalBatches = eval is { Count: > 0 }
            ? LengthBucketBatcher.CreateBatches(eval, padId, new LengthBucketOptions
                { MaxTokensPerBatch = c.MaxTokensPerMicroBatch, MaxBatchSize = c.MaxSequencesPerMicroBatch, Shuffle = false })
            : null;

        // Run directory: checkpoints with resume, metrics log.
        var state = TrainableSet.State(_trainable, Optimizer, _lora);
        using var run = RunDirectory.Open(c.OutputDir, c.Resume, c.KeepLast, c.SaveEvery, state, JsonSerializer.Serialize(c, JsonOptions));
        var metrics = run.Metrics;
        long step = run.Step;
        var position = run.Position;
        ITrainingProgress? progress = c.ProgressSink ?? (c.ShowProgress ? ProgressLine.ForStandardError(totalSteps) : null);
        progress?.Start(totalSteps);

        var losses = new List<double>();
        var evalLosses = new List<(long, double)>();
        long tokensSeen = 0;
        var clock = Stopwatch.StartNew();
        bool stoppedEarly = false;
        using var tape = new Tape();
        while (step < totalSteps)
        {
            var stepClock = Stopwatch.StartNew();
            // 1. The step's micro-batches, and the number of target tokens they hold: the loss is their mean.
            var micro = new List<PaddedBatch>(c.GradientAccumulationSteps);
            for (int k = 0; k < c.GradientAccumulationSteps; k++)
            {
                micro.Add(data.At(position));
                position = data.Next(position);
            }
            double targetTokens = 0;
            foreach (var b in micro) targetTokens += MaskSum(b);
            if (targetTokens == 0) targetTokens = 1;

            // 2. Forward + backward per micro-batch; gradients add up in the parameters' Grad.
            _trainable.ZeroGrad();
            double lossSum = 0, nllSum = 0;
            long stepTokens = 0;
            foreach (var batch in micro)
            {
                var (loss, nll) = ForwardBackward(tape, batch, (float)(1.0 / targetTokens));
                lossSum += loss;
                nllSum += nll;
                stepTokens += batch.SequenceLengths.Sum();
            }
            double stepLoss = lossSum / targetTokens;
            NonFiniteGuard.CheckLoss(step + 1, stepLoss);

            // 3. Clip, schedule, update.
            double gradNorm = c.MaxGradNorm > 0 ? GradientClipping.ClipByGlobalNorm(_trainable, c.MaxGradNorm) : GradientClipping.GlobalNorm(_trainable);
            NonFiniteGuard.CheckGradientNorm(step + 1, gradNorm);
            Optimizer.LearningRate = schedule.At(step);
            Optimizer.Step();
            step++;
            tokensSeen += stepTokens;
            losses.Add(stepLoss);

            // 4. Eval, metrics, progress, checkpoint.
            double? evalLoss = null;
            if (evalBatches is not null && ((c.EvalEvery > 0 && step % c.EvalEvery == 0) || step == totalSteps))
            {
                evalLoss = EvalLoss(tape, evalBatches);
                evalLosses.Add((step, evalLoss.Value));
            }
            if (metrics is not null)
            {
                var m = new StepMetrics(step)
                {
                    Epoch = position.Epoch + (double)position.Index / Math.Max(1, data.BatchesIn(position.Epoch)),
                    Loss = stepLoss, LearningRate = Optimizer.LearningRate, GradNorm = gradNorm, Tokens = stepTokens,
                    TokensPerSecond = stepTokens / Math.Max(1e-9, stepClock.Elapsed.TotalSeconds),
                    ElapsedSeconds = clock.Elapsed.TotalSeconds,
                }.Set("trained_tokens", targetTokens);
                if (c.Loss == SftLoss.Dft) m.Set("nll", nllSum / targetTokens);
                if (evalLoss is { } e) m.Set("eval_loss", e);
                metrics.Write(m);
            }
            progress?.Report(step, stepLoss, stepTokens);
            stoppedEarly = step < totalSteps && c.StopAfterStep?.Invoke(step) == true;
            if (run.SaveDue(step, stoppedEarly ? step : totalSteps)) run.Save(step, position);
            if (stoppedEarly) break;
        }
        progress?.Finish();
        return new SftResult
        {
            Steps = step, StepLosses = losses, EvalLosses = evalLosses, Tokens = tokensSeen, ElapsedSeconds = clock.Elapsed.TotalSeconds,
            StoppedEarly = stoppedEarly,
        };
    }

    /// <summary>
    /// One micro-batch: forward, the summed weighted token loss, backward scaled by <paramref name="scale"/>
    /// (1 / target tokens of the step). Returns the summed loss and the summed plain NLL (equal for cross-entropy).
    /// </summary>
    private (double Loss, double Nll) ForwardBackward(Tape tape, PaddedBatch batch, float scale)
    {
        tape.Reset();
        int bsz = batch.BatchSize, len = batch.Length;
        Tensor loss;
        double nll = double.NaN;
        if (Config.Loss == SftLoss.Dft)
        {
            var logits = _model.Forward(tape, batch.Ids, bsz, len);         // (B, T, V)
            var weights = DftWeights(tape, logits, batch, out nll);
            loss = CausalLmLoss.NextToken(tape, logits, batch.Ids, weights, LossReduction.Sum);
        }
        else
        {
            // Cross-entropy straight from the hidden states: with a frozen head (LoRA) the (B, T, V) logits, their
            // softmax and gradient are never built (vocabulary chunks); a trained head falls back to the logits path.
            var hidden = _model.ForwardHidden(tape, batch.Ids, bsz, len);   // (B, T, hidden)
            loss = CausalLmLoss.NextTokenFromHidden(tape, hidden, _model.LmHead, batch.Ids, batch.LossMask, LossReduction.Sum);
        }
        double value = loss[0];
        tape.Backward(loss, [scale]);
        tape.Reset();
        return (value, Config.Loss == SftLoss.Dft ? nll : value);
    }

    /// <summary>
    /// DFT's per-token weights −sg(p)·mask: p of each target token from the same logits, outside the graph.
    /// <paramref name="nll"/> is the summed plain NLL of the masked tokens.
    /// </summary>
    private static float[] DftWeights(Tape tape, Tensor logits, PaddedBatch batch, out double nll)
    {
        int bsz = batch.BatchSize, len = batch.Length;
        var weights = new float[bsz * len];
        nll = 0;
        using (tape.NoGrad())
        {
            var logProbs = CausalLmLoss.NextTokenLogProbs(tape, logits, batch.Ids).AsSpan(); // (B, T): log p(ids[t+1])
            for (int b = 0; b < bsz; b++)
                for (int t = 0; t + 1 < len; t++)
                {
                    int target = b * len + t + 1;
                    float mask = batch.LossMask[target];
                    if (mask == 0) continue;
                    float lp = logProbs[b * len + t];
                    weights[target] = mask * MathF.Exp(lp);
                    nll -= mask * lp;
                }
        }
        return weights;
    }

    /// <summary>Token-mean cross-entropy of the held-out batches, without gradients (and without LoRA dropout).</summary>
    private double EvalLoss(Tape tape, IReadOnlyList<PaddedBatch> batches)
    {
        bool training = _lora?.Training ?? false;
        if (_lora is not null) _lora.Training = false;
        try
        {
            double sum = 0, count = 0;
            foreach (var batch in batches)
            {
                tape.Reset();
                using (tape.NoGrad())
                {
                    var logits = _model.Forward(tape, batch.Ids, batch.BatchSize, batch.Length);
                    sum += CausalLmLoss.NextToken(tape, logits, batch.Ids, batch.LossMask, LossReduction.Sum)[0];
                }
                count += MaskSum(batch);
            }
            tape.Reset();
            return count > 0 ? sum / count : 0;
        }
        finally
        {
            if (_lora is not null) _lora.Training = training;
        }
    }

    private static double MaskSum(PaddedBatch batch)
    {
        // The first token of a row is never a target (nothing predicts it).
        double s = 0;
        for (int b = 0; b < batch.BatchSize; b++)
            for (int t = 1; t < batch.Length; t++) s += batch.LossMask[b * batch.Length + t];
        return s;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true, Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The micro-batches of each epoch, cut with seed Seed + epoch; one epoch is cached at a time.</summary>
    private sealed class EpochBatches(IReadOnlyList<TokenizedSequence> sequences, int padId, SftConfig config)
    {
        private int _epoch = -1;
        private IReadOnlyList<PaddedBatch> _batches = [];

        public int BatchesIn(int epoch) => For(epoch).Count;

        public PaddedBatch At(DataPosition p) => For(p.Epoch)[(int)p.Index];

        /// <summary>The position after <paramref name="p"/>, rolling into the next epoch.</summary>
        public DataPosition Next(DataPosition p) =>
            p.Index + 1 < For(p.Epoch).Count ? new DataPosition(p.Epoch, p.Index + 1) : new DataPosition(p.Epoch + 1, 0);

        private IReadOnlyList<PaddedBatch> For(int epoch)
        {
            if (epoch != _epoch)
            {
                _batches = LengthBucketBatcher.CreateBatches(sequences, padId, new LengthBucketOptions
                {
                    MaxTokensPerBatch = config.MaxTokensPerMicroBatch, MaxBatchSize = config.MaxSequencesPerMicroBatch,
                    Seed = unchecked(config.Seed + epoch),
                });
                _epoch = epoch;
            }
            return _batches;
        }
    }
}
