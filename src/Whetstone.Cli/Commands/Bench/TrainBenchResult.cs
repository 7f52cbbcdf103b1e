namespace Whetstone.Cli.Commands.Bench;

/// <summary>Settings of one <c>whet bench train</c> run.</summary>
/// <param name="Batch">Sequences per step, B.</param>
/// <param name="Length">Tokens per sequence, T.</param>
/// <param name="Steps">Timed steps (each paired with one pass over the GEMM reference set).</param>
/// <param name="Warmup">Untimed steps first (JIT tiers, tape pool, optimizer state).</param>
/// <param name="Threads">Compute threads for the step and the GEMM reference alike.</param>
internal sealed record TrainBenchOptions(int Batch, int Length, int Steps, int Warmup, int Threads);

/// <summary>Medians (seconds) of the phases of a full fine-tuning step.</summary>
/// <param name="Forward">Model forward on the tape plus the causal-LM loss.</param>
/// <param name="Backward">Tape.Backward from the loss.</param>
/// <param name="Optimizer">AdamW.Step over every parameter.</param>
/// <param name="Reset">ZeroGrad of the parameters plus Tape.Reset.</param>
/// <param name="Step">The whole step (the median of sums, so not the sum of the phase medians).</param>
internal sealed record TrainPhaseSeconds(double Forward, double Backward, double Optimizer, double Reset, double Step);

/// <summary>The linear GEMMs of a step timed on their own: how long they would take if the step did nothing else.</summary>
/// <param name="Name">Projection and pass, e.g. "down_proj dW".</param>
/// <param name="Shape">"MxNxK OP", as <c>whet bench gemm</c> prints it.</param>
/// <param name="Count">Runs per step.</param>
/// <param name="Gflops">Median GFLOP/s of one run.</param>
/// <param name="StepSeconds">Median seconds of one run × Count.</param>
internal sealed record TrainGemmTiming(string Name, string Shape, int Count, double Gflops, double StepSeconds);

/// <summary>What <c>whet bench train</c> measured.</summary>
internal sealed record TrainBenchResult
{
    /// <summary>Model name, e.g. qwen3-style-19m.</summary>
    public required string Model { get; init; }

    /// <summary>B.</summary>
    public required int Batch { get; init; }

    /// <summary>T.</summary>
    public required int Length { get; init; }

    /// <summary>Compute threads.</summary>
    public required int Threads { get; init; }

    /// <summary>Timed steps.</summary>
    public required int Steps { get; init; }

    /// <summary>All parameters, tied embedding counted once: the N of 6·N.</summary>
    public required long Parameters { get; init; }

    /// <summary>vocab·hidden, included in <see cref="Parameters"/>.</summary>
    public required long EmbeddingParameters { get; init; }

    /// <summary><see cref="Parameters"/> minus the embedding table.</summary>
    public required long NonEmbeddingParameters { get; init; }

    /// <summary>6·N.</summary>
    public required double FlopsPerToken { get; init; }

    /// <summary>12·L·H·D·T, the attention term left out of the headline.</summary>
    public required double AttentionFlopsPerToken { get; init; }

    /// <summary>Median phase times.</summary>
    public required TrainPhaseSeconds Median { get; init; }

    /// <summary>B·T ÷ median step seconds.</summary>
    public required double TokensPerSecond { get; init; }

    /// <summary>The linear GEMMs' FLOPs of a step ÷ their summed median times: the reference rate of MFU.</summary>
    public required double GemmGflops { get; init; }

    /// <summary>Per-GEMM medians that <see cref="GemmGflops"/> is built from.</summary>
    public required IReadOnlyList<TrainGemmTiming> Gemms { get; init; }

    /// <summary>Headline: 6·N·tokens/s ÷ GEMM FLOP/s, the median of per-round ratios.</summary>
    public required double Mfu { get; init; }

    /// <summary>(6·N + 12·L·H·D·T)·tokens/s ÷ GEMM FLOP/s, the median of per-round ratios.</summary>
    public required double MfuWithAttention { get; init; }

    /// <summary>The same ratio from process CPU seconds (all threads) of the step and of the GEMMs: less sensitive to other load.</summary>
    public required double MfuCpuTime { get; init; }

    /// <summary>Median GFLOP/s of a square 1024³ NN GEMM measured once per round.</summary>
    public required double SquareGemmGflops { get; init; }

    /// <summary>6·N·tokens/s ÷ <see cref="SquareGemmGflops"/>, the median of per-round ratios.</summary>
    public required double MfuVsSquareGemm { get; init; }

    /// <summary>Median process CPU seconds (all threads) of a step.</summary>
    public required double StepCpuSeconds { get; init; }

    /// <summary>Loss of the last step (about ln V for random weights).</summary>
    public required float LastLoss { get; init; }

    /// <summary>Managed bytes allocated by the median step (0 when the loop is allocation-free).</summary>
    public required long AllocatedBytesPerStep { get; init; }

    /// <summary>Native bytes the tape's pool holds after the run.</summary>
    public required long TapePoolBytes { get; init; }

    /// <summary>Process.PeakWorkingSet64 after the run.</summary>
    public required long PeakWorkingSetBytes { get; init; }
}
