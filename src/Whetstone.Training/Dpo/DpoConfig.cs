using Whetstone.Training.Sft;

namespace Whetstone.Training.Dpo;

/// <summary>
/// Every setting of a DPO run (TRL's <c>DPOConfig</c>): one record, serialised into each checkpoint. Sizes are
/// counted in optimizer steps; one step = <see cref="GradientAccumulationSteps"/> micro-batches of
/// <see cref="PairsPerMicroBatch"/> pairs.
/// </summary>
public sealed record DpoConfig
{
    /// <summary>Run directory for metrics.jsonl and checkpoints/; null trains in memory.</summary>
    public string? OutputDir { get; init; }

    /// <summary>Optimizer steps to take; when 0 the run lasts <see cref="Epochs"/> epochs.</summary>
    public int MaxSteps { get; init; }

    /// <summary>Passes over the pairs when <see cref="MaxSteps"/> is 0.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>β of the implicit reward β·log(π/π_ref) (TRL's 0.1).</summary>
    public float Beta { get; init; } = 0.1f;

    /// <summary>cDPO label smoothing ε in [0, 0.5); 0 is plain DPO.</summary>
    public float LabelSmoothing { get; init; }

    /// <summary>
    /// RPO ("Iterative Reasoning Preference Optimization", TRL's <c>rpo_alpha</c>): adds α × the token-mean negative
    /// log-likelihood of the chosen completions, so that DPO does not push the chosen trajectories' probability down
    /// along with the rejected ones. 0 (plain DPO) by default.
    /// </summary>
    public float RpoAlpha { get; init; }

    /// <summary>Peak learning rate (DPO wants a small one: 5e-7 to 5e-6 for LLMs, more for tiny models).</summary>
    public float LearningRate { get; init; } = 5e-6f;

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

    /// <summary>Preference pairs per micro-batch (2× as many sequences: chosen rows, then rejected rows).</summary>
    public int PairsPerMicroBatch { get; init; } = 4;

    /// <summary>Micro-batches whose gradients are summed before each optimizer step.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Longest sequence in tokens (longer ones are truncated on the right, prompt kept).</summary>
    public int MaxLength { get; init; } = 1024;

    /// <summary>Save a checkpoint every this many steps (0: never; needs <see cref="OutputDir"/>).</summary>
    public int SaveEvery { get; init; }

    /// <summary>Complete checkpoints kept.</summary>
    public int KeepLast { get; init; } = 3;

    /// <summary>Continue from the newest intact checkpoint in <see cref="OutputDir"/>.</summary>
    public bool Resume { get; init; }

    /// <summary>Seed of the pair order: epoch e is shuffled with seed + e.</summary>
    public int Seed { get; init; }

    /// <summary>Print a progress line to stderr.</summary>
    public bool ShowProgress { get; init; }

    /// <summary>Receives the steps instead of the stderr progress line (e.g. the CLI's live display); not serialised.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Whetstone.Training.Progress.ITrainingProgress? ProgressSink { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (MaxSteps < 0) throw new ArgumentException($"DpoConfig.MaxSteps must be ≥ 0, got {MaxSteps}.");
        if (MaxSteps == 0 && Epochs < 1) throw new ArgumentException($"DpoConfig.Epochs must be ≥ 1 when MaxSteps is 0, got {Epochs}.");
        if (!(Beta > 0) || !float.IsFinite(Beta)) throw new ArgumentException($"DpoConfig.Beta must be finite and > 0, got {Beta}.");
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 0.5f)) throw new ArgumentException($"DpoConfig.LabelSmoothing must be in [0, 0.5), got {LabelSmoothing}.");
        if (!(RpoAlpha >= 0) || !float.IsFinite(RpoAlpha)) throw new ArgumentException($"DpoConfig.RpoAlpha must be finite and ≥ 0, got {RpoAlpha}.");
        if (!(LearningRate > 0) || float.IsInfinity(LearningRate)) throw new ArgumentException($"DpoConfig.LearningRate must be > 0, got {LearningRate}.");
        if (WarmupSteps < 0) throw new ArgumentException($"DpoConfig.WarmupSteps must be ≥ 0, got {WarmupSteps}.");
        if (!(MinLrRatio >= 0 && MinLrRatio <= 1)) throw new ArgumentException($"DpoConfig.MinLrRatio must be in [0, 1], got {MinLrRatio}.");
        if (PairsPerMicroBatch < 1) throw new ArgumentException($"DpoConfig.PairsPerMicroBatch must be ≥ 1, got {PairsPerMicroBatch}.");
        if (GradientAccumulationSteps < 1) throw new ArgumentException($"DpoConfig.GradientAccumulationSteps must be ≥ 1, got {GradientAccumulationSteps}.");
        if (MaxLength < 2) throw new ArgumentException($"DpoConfig.MaxLength must be ≥ 2, got {MaxLength}.");
        if (SaveEvery < 0 || KeepLast < 1) throw new ArgumentException("DpoConfig.SaveEvery must be ≥ 0 and KeepLast ≥ 1.");
        if ((SaveEvery > 0 || Resume) && OutputDir is null) throw new ArgumentException("DpoConfig.SaveEvery/Resume need an OutputDir.");
    }
}
