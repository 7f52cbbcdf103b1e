namespace Whetstone.Training.Demo;

/// <summary>
/// Sizes of the <see cref="CalcDemo"/> pipeline. <see cref="Full"/> is the README's <c>whet demo</c> (≈ 3 minutes on a
/// quiet 2-core CPU, 7–12 under load); <see cref="Quick"/> (<c>--quick</c>) takes about 10 s and learns much less.
/// </summary>
public sealed record DemoOptions
{
    /// <summary>Run directory (created; existing files are overwritten).</summary>
    public required string OutputDir { get; init; }

    /// <summary>Seeds the model's initialisation, the SFT batch order, GRPO rollouts and the evaluation episodes.</summary>
    public int Seed { get; init; }

    /// <summary>Calc train tasks the scripted expert plays; their episodes are the SFT data and the tokenizer corpus.</summary>
    public int ExpertTasks { get; init; } = 2000;

    /// <summary>Requested BPE vocabulary (the result can be smaller: the corpus is tiny).</summary>
    public int VocabSize { get; init; } = 1024;

    /// <summary>Hidden size of the Qwen3-style model (heads of 32; MLP 3× hidden).</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>Transformer layers.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>SFT optimizer steps (8 sequences each).</summary>
    public int SftSteps { get; init; } = 2000;

    /// <summary>
    /// Greedy success on <see cref="ValidationTasks"/> at which SFT stops, deliberately short of convergence, so that
    /// GRPO has room to show what it adds (0: run all <see cref="SftSteps"/>). A fixed step count is not enough: on this
    /// 2-layer model the step at which SFT starts copying numbers varies with the seed and with float summation order.
    /// </summary>
    public double SftStopAtSuccess { get; init; } = 0.3;

    /// <summary>Steps between validation checks of <see cref="SftStopAtSuccess"/>.</summary>
    public int SftCheckEvery { get; init; } = 50;

    /// <summary>No validation check before this step.</summary>
    public int SftMinSteps { get; init; } = 300;

    /// <summary>Calc train tasks after the expert's, played greedily to decide when SFT stops.</summary>
    public int ValidationTasks { get; init; } = 100;

    /// <summary>Peak SFT learning rate (warmup 5%, cosine to 0.1×).</summary>
    public float SftLearningRate { get; init; } = 2e-3f;

    /// <summary>Sequences per SFT step.</summary>
    public int SftBatch { get; init; } = 8;

    /// <summary>GRPO steps from the SFT weights.</summary>
    public int GrpoSteps { get; init; } = 100;

    /// <summary>Tasks per GRPO step (B).</summary>
    public int GrpoTasksPerStep { get; init; } = 8;

    /// <summary>
    /// Extra tasks played per GRPO step so that B groups with differing rewards are trained on (DAPO's dynamic
    /// sampling, <see cref="Grpo.GrpoConfig.OversampleTasks"/>). Off by default: near the 30% start about half the groups
    /// are skipped, but training on full batches of 8 gave no measurable gain in 75 steps from seeds 1 and 2 (docs/demo.md)
    /// and doubles the rollouts.
    /// </summary>
    public int GrpoOversampleTasks { get; init; }

    /// <summary>Episodes per task (G).</summary>
    public int GrpoGroupSize { get; init; } = 8;

    /// <summary>GRPO learning rate (constant).</summary>
    public float GrpoLearningRate { get; init; } = 1e-4f;

    /// <summary>KL coefficient β to the frozen SFT reference.</summary>
    public float GrpoBeta { get; init; } = 0.01f;

    /// <summary>Held-out calc test tasks every policy is evaluated on (one greedy episode each).</summary>
    public int EvalTasks { get; init; } = 500;

    /// <summary>Most turns per episode (rollouts and evaluation).</summary>
    public int MaxTurns { get; init; } = 6;

    /// <summary>Most tokens the model generates per turn.</summary>
    public int MaxTokensPerTurn { get; init; } = 64;

    /// <summary>SFT and GRPO evaluation episodes kept in samples.jsonl, each.</summary>
    public int SamplesPerStage { get; init; } = 4;

    /// <summary>Whether the trainers print their progress lines on stderr.</summary>
    public bool ShowProgress { get; init; } = true;

    /// <summary>Receives the steps instead of the stderr progress line (e.g. the CLI's live display); not serialised.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Whetstone.Training.Progress.ITrainingProgress? ProgressSink { get; init; }

    /// <summary>A label printed and stored in config.json ("full", "quick", "custom").</summary>
    public string Profile { get; init; } = "custom";

    /// <summary>
    /// The full demo: 2 layers × 128 hidden, SFT on 2000 expert episodes until 30% greedy success on 100 validation
    /// tasks (at most 2000 steps), 100 GRPO steps of 8 tasks × 8 at lr 1e-4, 500 test tasks.
    /// </summary>
    public static DemoOptions Full(string outputDir, int seed = 0) => new() { OutputDir = outputDir, Seed = seed, Profile = "full" };

    /// <summary>
    /// <c>--quick</c>: 2 layers × 64 hidden, 150 SFT steps on 300 expert episodes, 2 GRPO steps of 4 tasks × 4, 50 test
    /// tasks. It stays on the SFT plateau where the model has learned the tool-call format but not yet to copy numbers.
    /// </summary>
    public static DemoOptions Quick(string outputDir, int seed = 0) => new()
    {
        OutputDir = outputDir, Seed = seed, Profile = "quick", ExpertTasks = 300, VocabSize = 512, Hidden = 64, Layers = 2,
        SftSteps = 150, SftStopAtSuccess = 0, SftLearningRate = 3e-3f, GrpoSteps = 2, GrpoTasksPerStep = 4, GrpoGroupSize = 4, EvalTasks = 50,
        MaxTokensPerTurn = 48,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok) throw new ArgumentException("DemoOptions." + message);
        }
        Check(!string.IsNullOrWhiteSpace(OutputDir), "OutputDir is required.");
        Check(ExpertTasks >= 1, $"ExpertTasks must be ≥ 1, got {ExpertTasks}.");
        Check(VocabSize >= 300, $"VocabSize must be ≥ 300 (256 bytes + specials), got {VocabSize}.");
        Check(Hidden >= 32 && Hidden % 32 == 0, $"Hidden must be a positive multiple of 32, got {Hidden}.");
        Check(Layers >= 1, $"Layers must be ≥ 1, got {Layers}.");
        Check(SftSteps >= 1, $"SftSteps must be ≥ 1, got {SftSteps}.");
        Check(SftBatch >= 1, $"SftBatch must be ≥ 1, got {SftBatch}.");
        Check(GrpoSteps >= 1, $"GrpoSteps must be ≥ 1, got {GrpoSteps}.");
        Check(GrpoTasksPerStep >= 1, $"GrpoTasksPerStep must be ≥ 1, got {GrpoTasksPerStep}.");
        Check(GrpoOversampleTasks >= 0, $"GrpoOversampleTasks must be ≥ 0, got {GrpoOversampleTasks}.");
        Check(GrpoGroupSize >= 2, $"GrpoGroupSize must be ≥ 2, got {GrpoGroupSize}.");
        Check(EvalTasks >= 1, $"EvalTasks must be ≥ 1, got {EvalTasks}.");
        Check(MaxTurns >= 1, $"MaxTurns must be ≥ 1, got {MaxTurns}.");
        Check(MaxTokensPerTurn >= 1, $"MaxTokensPerTurn must be ≥ 1, got {MaxTokensPerTurn}.");
        Check(SftStopAtSuccess is >= 0 and <= 1, $"SftStopAtSuccess must be in [0, 1], got {SftStopAtSuccess}.");
        Check(SftCheckEvery >= 1, $"SftCheckEvery must be ≥ 1, got {SftCheckEvery}.");
        Check(SftMinSteps >= 0, $"SftMinSteps must be ≥ 0, got {SftMinSteps}.");
        Check(ValidationTasks >= 1, $"ValidationTasks must be ≥ 1, got {ValidationTasks}.");
        Check(SamplesPerStage >= 0, $"SamplesPerStage must be ≥ 0, got {SamplesPerStage}.");
    }
}
