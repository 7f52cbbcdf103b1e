using Whetstone.Training.Sft;

namespace Whetstone.Training.RejectionSampling;

/// <summary>
/// Settings of a rejection-sampling fine-tuning run (<see cref="RftTrainer"/>): how many rounds, how many samples per
/// train task and how they are drawn, which data each round trains on, and how the held-out evaluation is run.
/// </summary>
public sealed record RftConfig
{
    /// <summary>
    /// Run directory: metrics.jsonl and eval.jsonl (stage <c>rft</c>), config.json, the sampled trajectories of each
    /// round under trajectories/, and each round's SFT run directory (round-N/) for its own checkpoints. Null runs in
    /// memory.
    /// </summary>
    public string? OutputDir { get; init; }

    /// <summary>Sample → filter → fine-tune → evaluate rounds (R).</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Trajectories sampled per train task per round (k).</summary>
    public int SamplesPerTask { get; init; } = 4;

    /// <summary>Sampling temperature of the exploration rollouts (&gt; 0: greedy decoding gives k identical samples).</summary>
    public float Temperature { get; init; } = 1.0f;

    /// <summary>Nucleus sampling threshold of the exploration rollouts.</summary>
    public float TopP { get; init; } = 1.0f;

    /// <summary>Most assistant turns per episode (train sampling and evaluation).</summary>
    public int MaxTurns { get; init; } = 8;

    /// <summary>Most new tokens per assistant turn.</summary>
    public int MaxTokensPerTurn { get; init; } = 128;

    /// <summary>Most generated tokens per episode (null: no limit beyond the turn limits).</summary>
    public int? MaxGeneratedTokens { get; init; } = 512;

    /// <summary>Episodes in flight during rollouts and evaluation; the <c>LocalPolicy</c> decodes them as one batch.</summary>
    public int MaxParallelism { get; init; } = 64;

    /// <summary>
    /// Train on the union of every round's kept trajectories (deduplicated), as in FireAct/AgentTuning's growing
    /// mixture; false trains each round on its own kept set only.
    /// </summary>
    public bool MixPreviousRounds { get; init; } = true;

    /// <summary>Successful trajectories kept per train task per round, after deduplication (0: all).</summary>
    public int MaxKeptPerTask { get; init; }

    /// <summary>Test-split tasks evaluated greedily before the first round and after each round (0: no evaluation).</summary>
    public int EvalTasks { get; init; } = 100;

    /// <summary>
    /// The supervised fine-tuning of each round (steps, learning rate, batch sizes, loss). Its <c>OutputDir</c> is
    /// replaced by <c>OutputDir/round-N</c> (or null) and its <c>Seed</c> is offset by the round.
    /// </summary>
    public SftConfig Sft { get; init; } = new() { Epochs = 2, LearningRate = 1e-4f };

    /// <summary>Base seed: round r samples with rollout seed <c>Seed + 1000·r</c>.</summary>
    public int Seed { get; init; }

    /// <summary>Print one line per round to stderr.</summary>
    public bool ShowProgress { get; init; }

    /// <summary>Receives the steps instead of the stderr progress line (e.g. the CLI's live display); not serialised.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Whetstone.Training.Progress.ITrainingProgress? ProgressSink { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (Rounds < 1) throw new ArgumentException($"RftConfig.Rounds must be ≥ 1, got {Rounds}.");
        if (SamplesPerTask < 1) throw new ArgumentException($"RftConfig.SamplesPerTask must be ≥ 1, got {SamplesPerTask}.");
        if (!(Temperature >= 0) || !float.IsFinite(Temperature)) throw new ArgumentException($"RftConfig.Temperature must be ≥ 0, got {Temperature}.");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentException($"RftConfig.TopP must be in (0, 1], got {TopP}.");
        if (MaxTurns < 1) throw new ArgumentException($"RftConfig.MaxTurns must be ≥ 1, got {MaxTurns}.");
        if (MaxTokensPerTurn < 1) throw new ArgumentException($"RftConfig.MaxTokensPerTurn must be ≥ 1, got {MaxTokensPerTurn}.");
        if (MaxGeneratedTokens is < 1) throw new ArgumentException($"RftConfig.MaxGeneratedTokens must be ≥ 1 when set, got {MaxGeneratedTokens}.");
        if (MaxParallelism < 1) throw new ArgumentException($"RftConfig.MaxParallelism must be ≥ 1, got {MaxParallelism}.");
        if (MaxKeptPerTask < 0) throw new ArgumentException($"RftConfig.MaxKeptPerTask must be ≥ 0, got {MaxKeptPerTask}.");
        if (EvalTasks < 0) throw new ArgumentException($"RftConfig.EvalTasks must be ≥ 0, got {EvalTasks}.");
        ArgumentNullException.ThrowIfNull(Sft, "RftConfig.Sft");
        Sft.Validate();
    }
}
