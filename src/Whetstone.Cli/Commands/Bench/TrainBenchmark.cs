using System.Diagnostics;
using System.Runtime.InteropServices;
using Whetstone.Models.Configuration;
using Whetstone.Models.Transformer;
using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Kernels;
using Whetstone.Tensors.Optim;
using Whetstone.Tensors.Threading;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>
/// Times full fine-tuning steps of a random-weight model (forward on the tape, causal-LM loss, backward, AdamW) on
/// random token batches, and in the same run the GEMMs of the model's linear layers on their own. Rounds interleave
/// one step and one pass over those GEMMs, so both see the same background load; MFU is the median of per-round ratios.
/// </summary>
/// <remarks>
/// Each round also takes process CPU time (all threads, spinning pool workers included) of the step and of the GEMM
/// pass: on a shared machine wall time counts the time a thread waited for a core, CPU time does not, so the
/// CPU-time MFU moves less with other people's load. A square 1024³ GEMM per round gives a second, shape-neutral
/// reference.
/// </remarks>
internal static unsafe class TrainBenchmark
{
    /// <summary>Runs the benchmark; progress lines go to <paramref name="log"/> when given.</summary>
    public static TrainBenchResult Run(string name, ModelConfig config, TrainBenchOptions o, Action<string>? log)
    {
        int savedThreads = ComputeThreads.Count;
        ComputeThreads.Count = o.Threads;
        try
        {
            return RunCore(name, config, o, log);
        }
        finally
        {
            ComputeThreads.Count = savedThreads;
        }
    }

    private static TrainBenchResult RunCore(string name, ModelConfig config, TrainBenchOptions o, Action<string>? log)
    {
        int rows = o.Batch * o.Length;
        using var model = TransformerModel.Create(config, seed: 0);
        var optimizer = new AdamW(model.Parameters, new AdamWOptions { LearningRate = 1e-4f });
        var batches = RandomBatches(config.VocabSize, rows, count: 4);
        var mask = Enumerable.Repeat(1f, rows).ToArray();
        using var tape = new Tape();
        var gemms = TrainingGemm.ForStep(config, rows);
        using var operands = new GemmOperands(gemms);

        double perToken = TrainingFlops.PerToken(config);
        double attention = TrainingFlops.AttentionPerToken(config, o.Length);
        double linearFlops = gemms.Sum(g => g.StepFlops);

        float loss = 0;
        for (int s = 0; s < o.Warmup; s++)
        {
            loss = Step(model, optimizer, tape, batches[s % batches.Length], mask, o).Loss;
            log?.Invoke($"  warm-up step {s + 1}/{o.Warmup}: loss {loss:F4}");
        }
        operands.RunAll(gemms, new double[gemms.Count], new double[gemms.Count]);   // warm the GEMM path too

        var phases = new List<StepTiming>();
        var gemmSeconds = new double[o.Steps][];
        var mfu = new List<double>();
        var mfuAttention = new List<double>();
        var mfuCpu = new List<double>();
        var mfuSquare = new List<double>();
        var squareRates = new List<double>();
        for (int s = 0; s < o.Steps; s++)
        {
            var t = Step(model, optimizer, tape, batches[s % batches.Length], mask, o);
            loss = t.Loss;
            phases.Add(t);
            gemmSeconds[s] = new double[gemms.Count];
            var cpuSeconds = new double[gemms.Count];
            operands.RunAll(gemms, gemmSeconds[s], cpuSeconds);
            double gemmStep = gemms.Select((g, i) => gemmSeconds[s][i] * g.Count).Sum();
            double gemmCpu = gemms.Select((g, i) => cpuSeconds[i] * g.Count).Sum();
            squareRates.Add(operands.RunSquare(Square) is var sq ? 2.0 * Square * Square * Square / sq : 0);
            double tokensPerSecond = rows / t.Step;
            double reference = linearFlops / gemmStep;
            mfu.Add(TrainingFlops.Utilisation(perToken, tokensPerSecond, reference));
            mfuAttention.Add(TrainingFlops.Utilisation(perToken + attention, tokensPerSecond, reference));
            mfuCpu.Add(TrainingFlops.Utilisation(perToken, rows / t.CpuSeconds, linearFlops / gemmCpu));
            mfuSquare.Add(TrainingFlops.Utilisation(perToken, tokensPerSecond, squareRates[^1]));
            log?.Invoke($"  step {s + 1}/{o.Steps}: {t.Step:F3} s (forward {t.Forward:F3}, backward {t.Backward:F3}, AdamW {t.Optimizer:F3}, reset {t.Reset:F3}); " +
                        $"{tokensPerSecond:F0} tok/s; linear GEMMs alone {gemmStep:F3} s = {reference / 1e9:F1} GFLOP/s; MFU {mfu[^1]:P1} (CPU time {mfuCpu[^1]:P1})");
        }

        var timings = gemms.Select((g, i) =>
        {
            double median = Median(gemmSeconds.Select(r => r[i]));
            string op = $"{(g.TransA == Transpose.None ? 'N' : 'T')}{(g.TransB == Transpose.None ? 'N' : 'T')}";
            return new TrainGemmTiming(g.Name, $"{g.M}x{g.N}x{g.K} {op}", g.Count, g.Flops / median / 1e9, median * g.Count);
        }).ToList();
        var medianStep = Median(phases.Select(p => p.Step));
        var process = Process.GetCurrentProcess();
        process.Refresh();
        return new TrainBenchResult
        {
            Model = name, Batch = o.Batch, Length = o.Length, Threads = o.Threads, Steps = o.Steps,
            Parameters = config.ParameterCount(),
            EmbeddingParameters = TrainingFlops.EmbeddingParameters(config),
            NonEmbeddingParameters = TrainingFlops.NonEmbeddingParameters(config),
            FlopsPerToken = perToken, AttentionFlopsPerToken = attention,
            Median = new TrainPhaseSeconds(Median(phases.Select(p => p.Forward)), Median(phases.Select(p => p.Backward)),
                Median(phases.Select(p => p.Optimizer)), Median(phases.Select(p => p.Reset)), medianStep),
            TokensPerSecond = rows / medianStep,
            GemmGflops = linearFlops / timings.Sum(t => t.StepSeconds) / 1e9,
            Gemms = timings,
            Mfu = Median(mfu), MfuWithAttention = Median(mfuAttention), MfuCpuTime = Median(mfuCpu),
            SquareGemmGflops = Median(squareRates) / 1e9, MfuVsSquareGemm = Median(mfuSquare),
            StepCpuSeconds = Median(phases.Select(p => p.CpuSeconds)),
            LastLoss = loss,
            AllocatedBytesPerStep = (long)Median(phases.Select(p => (double)p.AllocatedBytes)),
            TapePoolBytes = tape.PooledBytes,
            PeakWorkingSetBytes = process.PeakWorkingSet64,
        };
    }

    // Side of the square GEMM reference.
    private const int Square = 1024;

    private readonly record struct StepTiming(double Forward, double Backward, double Optimizer, double Reset, double Step,
        double CpuSeconds, float Loss, long AllocatedBytes);

    // One full fine-tuning step, each phase timed on its own.
    private static StepTiming Step(TransformerModel model, AdamW optimizer, Tape tape, int[] ids, float[] mask, TrainBenchOptions o)
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        double cpu = BenchCpuTime.Process();
        long t0 = Stopwatch.GetTimestamp();
        var logits = model.Forward(tape, ids, o.Batch, o.Length);
        var loss = CausalLmLoss.NextToken(tape, logits, ids, mask);
        long t1 = Stopwatch.GetTimestamp();
        tape.Backward(loss);
        long t2 = Stopwatch.GetTimestamp();
        optimizer.Step();
        long t3 = Stopwatch.GetTimestamp();
        float value = loss[0];
        model.Parameters.ZeroGrad();
        tape.Reset();
        long t4 = Stopwatch.GetTimestamp();
        double S(long a, long b) => (double)(b - a) / Stopwatch.Frequency;
        return new StepTiming(S(t0, t1), S(t1, t2), S(t2, t3), S(t3, t4), S(t0, t4), BenchCpuTime.Process() - cpu, value,
            GC.GetAllocatedBytesForCurrentThread() - allocated);
    }

    private static int[][] RandomBatches(int vocab, int rows, int count)
    {
        var rng = new Rng(1);
        var batches = new int[count][];
        for (int b = 0; b < count; b++)
        {
            batches[b] = new int[rows];
            for (int i = 0; i < rows; i++) batches[b][i] = rng.NextInt(vocab);
        }
        return batches;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }

    // A, B, C buffers big enough for every GEMM of the set, 64-byte aligned, filled with small values so that
    // accumulating (beta = 1) gradients stay far from overflow over many rounds.
    private sealed class GemmOperands : IDisposable
    {
        private readonly float* _a, _b, _c;

        public GemmOperands(IReadOnlyList<TrainingGemm> gemms)
        {
            long square = (long)Square * Square;
            _a = Allocate(Math.Max(square, gemms.Max(g => (long)g.M * g.K)), seed: 1);
            _b = Allocate(Math.Max(square, gemms.Max(g => (long)g.K * g.N)), seed: 2);
            _c = Allocate(Math.Max(square, gemms.Max(g => (long)g.M * g.N)), seed: 3);
        }

        // Seconds of one side × side × side NN product (beta 0).
        public double RunSquare(int side)
        {
            long start = Stopwatch.GetTimestamp();
            Gemm.Multiply(Transpose.None, Transpose.None, side, side, side, 1f, _a, side, _b, side, 0f, _c, side);
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        // Runs each GEMM once, writing its wall seconds into seconds[i] and process CPU seconds into cpuSeconds[i].
        public void RunAll(IReadOnlyList<TrainingGemm> gemms, double[] seconds, double[] cpuSeconds)
        {
            for (int i = 0; i < gemms.Count; i++)
            {
                var g = gemms[i];
                int lda = g.TransA == Transpose.None ? g.K : g.M;
                int ldb = g.TransB == Transpose.None ? g.N : g.K;
                double cpu = BenchCpuTime.Process();
                long start = Stopwatch.GetTimestamp();
                Gemm.Multiply(g.TransA, g.TransB, g.M, g.N, g.K, 1f, _a, lda, _b, ldb, g.Beta, _c, g.N);
                seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
                cpuSeconds[i] = BenchCpuTime.Process() - cpu;
            }
        }

        public void Dispose()
        {
            NativeMemory.AlignedFree(_a);
            NativeMemory.AlignedFree(_b);
            NativeMemory.AlignedFree(_c);
        }

        private static float* Allocate(long count, int seed) => BenchBuffers.AlignedRandom(count, seed, halfRange: 1e-3);
    }
}
