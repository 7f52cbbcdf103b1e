namespace Whetstone.Training.Sft;

/// <summary>The loss an <see cref="SftTrainer"/> minimises on the assistant tokens.</summary>
public enum SftLoss
{
    /// <summary>Token-mean cross-entropy: −log p(token).</summary>
    CrossEntropy,

    /// <summary>
    /// Dynamic Fine-Tuning ("On the Generalization of SFT: A RL Perspective with Reward Rectification"): each token's
    /// cross-entropy weighted by its own probability, detached: −sg(p)·log p.
    /// </summary>
    Dft,
}

/// <summary>The learning-rate schedule after warmup (used by the SFT, DPO and GRPO trainers alike).</summary>
public enum SftSchedule
{
    /// <summary>Cosine decay to <see cref="SftConfig.MinLrRatio"/> × peak.</summary>
    Cosine,

    /// <summary>Linear decay to <see cref="SftConfig.MinLrRatio"/> × peak.</summary>
    Linear,

    /// <summary>Constant after warmup.</summary>
    Constant,
}

/// <summary>
/// Every setting of a supervised fine-tuning run (TRL's <c>SFTConfig</c>): one record, serialised into each
/// checkpoint. Sizes are counted in optimizer steps; one step = <see cref="GradientAccumulationSteps"/> micro-batches.
/// </summary>
public sealed record SftConfig
{
    /// <summary>Run directory for metrics.jsonl and checkpoints/; null trains in memory (no metrics file, no checkpoints).</summary>
    public string? OutputDir { get; init; }

    /// <summary>Optimizer steps to take; when 0 the run lasts <see cref="Epochs"/> epochs.</summary>
    public int MaxSteps { get; init; }

    /// <summary>Passes over the training set when <see cref="MaxSteps"/> is 0.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Peak learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Linear warmup steps from 0 to the peak.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Decay after warmup.</summary>
    public SftSchedule Schedule { get; init; } = SftSchedule.Cosine;

    /// <summary>Final learning rate as a fraction of the peak.</summary>
    public float MinLrRatio { get; init; } = 0.1f;

    /// <summary>AdamW decoupled weight decay.</summary>
    public float WeightDecay { get; init; }

    /// <summary>AdamW β1.</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>AdamW β2.</summary>
    public float Beta2 { get; init; } = 0.999f;

    /// <summary>Clip the global gradient norm to this (≤ 0: no clipping, the norm is still logged).</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Most tokens (B·T, padding included) in one micro-batch.</summary>
    public int MaxTokensPerMicroBatch { get; init; } = 4096;

    /// <summary>Most sequences in one micro-batch.</summary>
    public int MaxSequencesPerMicroBatch { get; init; } = 16;

    /// <summary>Micro-batches whose gradients are summed before each optimizer step.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Longest sequence in tokens (longer ones are truncated on the right).</summary>
    public int MaxLength { get; init; } = 1024;

    /// <summary>The loss on assistant tokens.</summary>
    public SftLoss Loss { get; init; } = SftLoss.CrossEntropy;

    /// <summary>Evaluate the held-out loss every this many steps (0: only at the end, when an eval set is given).</summary>
    public int EvalEvery { get; init; }

    /// <summary>Save a checkpoint every this many steps (0: never; needs <see cref="OutputDir"/>).</summary>
    public int SaveEvery { get; init; }

    /// <summary>Complete checkpoints kept.</summary>
    public int KeepLast { get; init; } = 3;

    /// <summary>Continue from the newest intact checkpoint in <see cref="OutputDir"/>.</summary>
    public bool Resume { get; init; }

    /// <summary>Seed of the data order: epoch e is shuffled with seed + e.</summary>
    public int Seed { get; init; }

    /// <summary>Print a progress line to stderr.</summary>
    public bool ShowProgress { get; init; }

    /// <summary>Receives the steps instead of the stderr progress line (e.g. the CLI's live display); not serialised.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Whetstone.Training.Progress.ITrainingProgress? ProgressSink { get; init; }

    /// <summary>
    /// Called after every optimizer step with the step number; returning true ends training there, with a checkpoint
    /// when checkpoints are on. This is how a caller stops on a held-out metric (the demo stops SFT once greedy success
    /// on validation tasks reaches a threshold), like a TRL callback that sets <c>should_training_stop</c>. The
    /// learning-rate schedule still spans <see cref="MaxSteps"/>. Not serialised.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Func<long, bool>? StopAfterStep { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (MaxSteps < 0) throw new ArgumentException($"SftConfig.MaxSteps must be ≥ 0, got {MaxSteps}.");
        if (MaxSteps == 0 && Epochs < 1) throw new ArgumentException($"SftConfig.Epochs must be ≥ 1 when MaxSteps is 0, got {Epochs}.");
        if (!(LearningRate > 0) || float.IsInfinity(LearningRate)) throw new ArgumentException($"SftConfig.LearningRate must be > 0, got {LearningRate}.");
        if (WarmupSteps < 0) throw new ArgumentException($"SftConfig.WarmupSteps must be ≥ 0, got {WarmupSteps}.");
        if (!(MinLrRatio >= 0 && MinLrRatio <= 1)) throw new ArgumentException($"SftConfig.MinLrRatio must be in [0, 1], got {MinLrRatio}.");
        if (MaxTokensPerMicroBatch < 2) throw new ArgumentException($"SftConfig.MaxTokensPerMicroBatch must be ≥ 2, got {MaxTokensPerMicroBatch}.");
        if (MaxSequencesPerMicroBatch < 1) throw new ArgumentException($"SftConfig.MaxSequencesPerMicroBatch must be ≥ 1, got {MaxSequencesPerMicroBatch}.");
        if (GradientAccumulationSteps < 1) throw new ArgumentException($"SftConfig.GradientAccumulationSteps must be ≥ 1, got {GradientAccumulationSteps}.");
        if (MaxLength < 2) throw new ArgumentException($"SftConfig.MaxLength must be ≥ 2, got {MaxLength}.");
        if (EvalEvery < 0 || SaveEvery < 0 || KeepLast < 1) throw new ArgumentException("SftConfig.EvalEvery and SaveEvery must be ≥ 0 and KeepLast ≥ 1.");
        if ((SaveEvery > 0 || Resume) && OutputDir is null) throw new ArgumentException("SftConfig.SaveEvery/Resume need an OutputDir.");
    }
}
