using Whetstone.Training.Sft;
using Whetstone.Training.Objectives;

namespace Whetstone.Training.Grpo;

/// <summary>
/// Every setting of a multi-turn GRPO run (TRL's <c>GRPOConfig</c>): one record, serialised into each checkpoint.
/// A step = <see cref="TasksPerStep"/> train tasks × <see cref="GroupSize"/> rollouts, then
/// <see cref="InnerEpochs"/> optimizer updates on them.
/// </summary>
public sealed record GrpoConfig
{
    // ---- Run ----

    /// <summary>Run directory for metrics.jsonl, eval.jsonl and checkpoints/; null trains in memory.</summary>
    public string? OutputDir { get; init; }

    /// <summary>GRPO steps (rollout + update rounds) to take.</summary>
    public int MaxSteps { get; init; } = 100;

    /// <summary>Seed of the task order (epoch e of the train pool is shuffled with Seed + e) and of the rollouts.</summary>
    public int Seed { get; init; }

    /// <summary>Print a progress line to stderr.</summary>
    public bool ShowProgress { get; init; }

    /// <summary>Receives the steps instead of the stderr progress line (e.g. the CLI's live display); not serialised.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Whetstone.Training.Progress.ITrainingProgress? ProgressSink { get; init; }

    // ---- Rollouts ----

    /// <summary>B: distinct train tasks per step (prompts per batch).</summary>
    public int TasksPerStep { get; init; } = 8;

    /// <summary>G: rollouts per task (the group whose rewards are compared).</summary>
    public int GroupSize { get; init; } = 8;

    /// <summary>Size of the pool of train-split tasks the steps walk through (in a seeded order per epoch).</summary>
    public int TrainTasks { get; init; } = 10_000;

    /// <summary>
    /// Train-split tasks skipped before the pool starts. Set it to the number of tasks whose expert episodes were the
    /// SFT data: on those the SFT model may recite memorised answers, so their rewards say little about the policy.
    /// </summary>
    public int TrainTaskOffset { get; init; }

    /// <summary>Sampling temperature of the rollouts. At 1 the behaviour log-probs are exactly the sampling distribution's.</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Nucleus sampling of the rollouts (1 = off).</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>Most tokens the policy may generate in one assistant turn.</summary>
    public int MaxTokensPerTurn { get; init; } = 128;

    /// <summary>Most assistant turns per episode (the runner truncates after that).</summary>
    public int MaxTurns { get; init; } = 8;

    /// <summary>Most generated tokens per episode, all turns together.</summary>
    public int MaxEpisodeTokens { get; init; } = 1024;

    /// <summary>
    /// Episodes in flight at once (rollouts and evaluation). The <c>LocalPolicy</c> batches the generations of all
    /// episodes in flight through one decoder, so this is the decode batch size: B·G (64 by default) plays a whole step
    /// at once. Results do not depend on it (each episode samples from its own seed).
    /// </summary>
    public int RolloutParallelism { get; init; } = 64;

    // ---- Advantages ----

    /// <summary>GRPO (÷ std), Dr. GRPO (no std) or RLOO (leave-one-out baseline).</summary>
    public AdvantageEstimator Estimator { get; init; } = AdvantageEstimator.Grpo;

    /// <summary>Sample (÷ G − 1, TRL) or population std for <see cref="AdvantageEstimator.Grpo"/>.</summary>
    public RewardStd RewardStd { get; init; } = RewardStd.Sample;

    /// <summary>
    /// Leave groups whose rewards are all equal out of the update (their advantages are all 0, so they only dilute the
    /// token mean); their count is logged as <c>skipped_groups</c>. False keeps them (TRL's behaviour).
    /// </summary>
    public bool SkipZeroVarianceGroups { get; init; } = true;

    /// <summary>
    /// Extra tasks played each step so that the update still gets <see cref="TasksPerStep"/> groups whose rewards differ
    /// (DAPO's dynamic sampling): B + this many tasks are played, and the first B groups with non-zero reward variance,
    /// in task order, are trained on; the rest only count in the step's reward metrics (<c>surplus_groups</c>). 0: off.
    /// Needs <see cref="SkipZeroVarianceGroups"/>.
    /// </summary>
    public int OversampleTasks { get; init; }

    // ---- Loss ----

    /// <summary>ε_low: ratios below 1 − ε_low stop pushing down when A &lt; 0.</summary>
    public float ClipLow { get; init; } = 0.2f;

    /// <summary>ε_high: ratios above 1 + ε_high stop pushing up when A &gt; 0 (clip-higher, DAPO: 0.28).</summary>
    public float ClipHigh { get; init; } = 0.28f;

    /// <summary>β: weight of the k3 KL estimate to the frozen reference. 0 skips the reference model entirely.</summary>
    public float Beta { get; init; } = 0.04f;

    /// <summary>How token losses are averaged (token-level by default, DAPO / TRL <c>loss_type="dapo"</c>).</summary>
    public LossAggregation Aggregation { get; init; } = LossAggregation.TokenMean;

    /// <summary>L of <see cref="LossAggregation.FixedLength"/> (Dr. GRPO); 0 uses <see cref="MaxLength"/>.</summary>
    public int FixedLength { get; init; }

    // ---- Optimisation ----

    /// <summary>μ: optimizer updates on each step's rollouts (each over the whole batch); old log-probs stay fixed.</summary>
    public int InnerEpochs { get; init; } = 1;

    /// <summary>Peak learning rate.</summary>
    public float LearningRate { get; init; } = 1e-6f;

    /// <summary>Linear warmup, in optimizer updates.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Decay after warmup.</summary>
    public SftSchedule Schedule { get; init; } = SftSchedule.Constant;

    /// <summary>Final learning rate as a fraction of the peak (Cosine, Linear).</summary>
    public float MinLrRatio { get; init; } = 0.1f;

    /// <summary>AdamW decoupled weight decay.</summary>
    public float WeightDecay { get; init; }

    /// <summary>AdamW β1.</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>AdamW β2.</summary>
    public float Beta2 { get; init; } = 0.999f;

    /// <summary>Clip the global gradient norm to this (≤ 0: no clipping; the norm is still logged).</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Most tokens (B·T, padding included) in one micro-batch; the step's micro-batches are accumulated.</summary>
    public int MaxTokensPerMicroBatch { get; init; } = 8192;

    /// <summary>Most sequences in one micro-batch.</summary>
    public int MaxSequencesPerMicroBatch { get; init; } = 16;

    /// <summary>Longest training sequence in tokens (prompt + all turns; longer episodes are truncated on the right).</summary>
    public int MaxLength { get; init; } = 2048;

    // ---- Evaluation and checkpoints ----

    /// <summary>Held-out evaluation every this many steps, and before the first and after the last (0: never).</summary>
    public int EvalEvery { get; init; }

    /// <summary>Test-split tasks in each evaluation (one episode each).</summary>
    public int EvalTasks { get; init; } = 100;

    /// <summary>
    /// Sampling temperature of the held-out evaluations: 0 (greedy, the default) or the temperature of the policy GRPO
    /// trains (1). Sampled evaluations use <see cref="Seed"/> as the rollout seed, so every evaluation of a run plays the
    /// same episode seeds and two evaluations differ by the policy, not the dice. Tic-tac-toe in docs/grpo.md is why:
    /// GRPO's gain there shows in the sampled policy and much less in greedy play.
    /// </summary>
    public float EvalTemperature { get; init; }

    /// <summary>Save a checkpoint every this many steps, and after the last (0: never; needs <see cref="OutputDir"/>).</summary>
    public int SaveEvery { get; init; }

    /// <summary>Complete checkpoints kept.</summary>
    public int KeepLast { get; init; } = 3;

    /// <summary>Continue from the newest intact checkpoint in <see cref="OutputDir"/>.</summary>
    public bool Resume { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok) throw new ArgumentException("GrpoConfig." + message);
        }
        Check(MaxSteps >= 1, $"MaxSteps must be ≥ 1, got {MaxSteps}.");
        Check(TasksPerStep >= 1, $"TasksPerStep must be ≥ 1, got {TasksPerStep}.");
        Check(GroupSize >= 2, $"GroupSize must be ≥ 2 (advantages compare rollouts of one task), got {GroupSize}.");
        Check(OversampleTasks >= 0, $"OversampleTasks must be ≥ 0, got {OversampleTasks}.");
        Check(OversampleTasks == 0 || SkipZeroVarianceGroups, "OversampleTasks needs SkipZeroVarianceGroups: the extra tasks replace groups that would be skipped.");
        Check(TrainTaskOffset >= 0, $"TrainTaskOffset must be ≥ 0, got {TrainTaskOffset}.");
        Check(TrainTasks >= TasksPerStep + OversampleTasks, $"TrainTasks ({TrainTasks}) must be ≥ TasksPerStep + OversampleTasks ({TasksPerStep + OversampleTasks}).");
        Check(Temperature > 0 && float.IsFinite(Temperature), $"Temperature must be > 0 for rollouts, got {Temperature}.");
        Check(TopP > 0 && TopP <= 1, $"TopP must be in (0, 1], got {TopP}.");
        Check(MaxTokensPerTurn >= 1 && MaxTurns >= 1 && MaxEpisodeTokens >= 1, "MaxTokensPerTurn, MaxTurns and MaxEpisodeTokens must be ≥ 1.");
        Check(RolloutParallelism >= 1, $"RolloutParallelism must be ≥ 1, got {RolloutParallelism}.");
        Check(ClipLow >= 0 && ClipLow < 1, $"ClipLow must be in [0, 1), got {ClipLow}.");
        Check(ClipHigh >= 0 && float.IsFinite(ClipHigh), $"ClipHigh must be ≥ 0, got {ClipHigh}.");
        Check(Beta >= 0 && float.IsFinite(Beta), $"Beta must be ≥ 0, got {Beta}.");
        Check(FixedLength >= 0, $"FixedLength must be ≥ 0, got {FixedLength}.");
        Check(InnerEpochs >= 1, $"InnerEpochs must be ≥ 1, got {InnerEpochs}.");
        Check(LearningRate > 0 && float.IsFinite(LearningRate), $"LearningRate must be > 0, got {LearningRate}.");
        Check(WarmupSteps >= 0, $"WarmupSteps must be ≥ 0, got {WarmupSteps}.");
        Check(MinLrRatio >= 0 && MinLrRatio <= 1, $"MinLrRatio must be in [0, 1], got {MinLrRatio}.");
        Check(MaxTokensPerMicroBatch >= 2, $"MaxTokensPerMicroBatch must be ≥ 2, got {MaxTokensPerMicroBatch}.");
        Check(MaxSequencesPerMicroBatch >= 1, $"MaxSequencesPerMicroBatch must be ≥ 1, got {MaxSequencesPerMicroBatch}.");
        Check(MaxLength >= 2, $"MaxLength must be ≥ 2, got {MaxLength}.");
        Check(EvalEvery >= 0 && EvalTasks >= 1, "EvalEvery must be ≥ 0 and EvalTasks ≥ 1.");
        Check(EvalTemperature >= 0 && float.IsFinite(EvalTemperature), $"EvalTemperature must be ≥ 0, got {EvalTemperature}.");
        Check(SaveEvery >= 0 && KeepLast >= 1, "SaveEvery must be ≥ 0 and KeepLast ≥ 1.");
        Check(!((SaveEvery > 0 || Resume) && OutputDir is null), "SaveEvery/Resume need an OutputDir.");
    }
}
