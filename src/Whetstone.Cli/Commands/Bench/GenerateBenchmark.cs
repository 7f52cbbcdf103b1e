using System.Diagnostics;
using System.Numerics.Tensors;
using Whetstone.Models.Configuration;
using Whetstone.Models.Generation;
using Whetstone.Models.Transformer;
using Whetstone.Tensors.Threading;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>Figures of one model in <c>whet bench generate</c>.</summary>
internal sealed record GenerateBenchResult(
    string Model, long Parameters, long WeightBytes, int PromptTokens, double PrefillTokensPerSecond,
    IReadOnlyList<DecodeBenchResult> Decode, int Rounds, double ReadBandwidthBytesPerSecond, double ReadBoundTokensPerSecond,
    double Batch1OverReadBound, double Batch8OverBatch1, long PeakWorkingSetBytes)
{
    /// <summary>Copy bandwidth of the run (bytes read + written per second), filled in at the end.</summary>
    public double CopyBoundTokensPerSecond { get; init; } = double.NaN;
}

/// <summary>Decode throughput at one batch size.</summary>
internal sealed record DecodeBenchResult(int Batch, double MedianStepMilliseconds, double TokensPerSecond);

/// <summary>
/// Random-weight generation benchmark. The machine is shared and noisy, so the quantities that are compared are
/// measured in interleaved rounds: each round times one decode step at every batch size and one read-bandwidth
/// sample; ratios (batch 8 / batch 1, batch 1 / bound) are per round, then the median over rounds is reported.
/// </summary>
internal static class GenerateBenchmark
{
    private const int ProbeFloats = 32 << 20;     // 128 MB: four times the L3

    /// <summary>STREAM-style copy bandwidth in bytes/s (bytes read + bytes written) of a 256 MB memcpy on one thread, median of several.</summary>
    public static unsafe double CopyBandwidth(int repeats = 7)
    {
        const long bytes = 256L << 20;
        var src = new byte[bytes];
        var dst = new byte[bytes];
        var samples = new List<double>();
        fixed (byte* s = src, d = dst)
            for (int i = 0; i < repeats + 1; i++)
            {
                long start = Stopwatch.GetTimestamp();
                Buffer.MemoryCopy(s, d, bytes, bytes);
                double sec = Stopwatch.GetElapsedTime(start).TotalSeconds;
                if (i > 0) samples.Add(2.0 * bytes / sec);   // the first copy faults the pages in
            }
        return Median(samples);
    }

    /// <summary>One read-bandwidth sample in bytes/s: a sum over the probe array split across the compute threads, as decoding streams weights.</summary>
    private static unsafe double ReadBandwidthSample(float[] probe, double[] partial)
    {
        fixed (float* p = probe)
        fixed (double* sums = partial)
        {
            var body = new SumBody { Data = p, Sums = sums, Chunk = probe.Length / partial.Length };
            long start = Stopwatch.GetTimestamp();
            ComputePool.For(partial.Length, body);
            return 4.0 * probe.Length / Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
    }

    private unsafe struct SumBody : IComputeLoopBody
    {
        public float* Data;
        public double* Sums;
        public int Chunk;

        public readonly void Invoke(int index) =>
            Sums[index] = TensorPrimitives.Sum(new ReadOnlySpan<float>(Data + (long)index * Chunk, Chunk));
    }

    /// <summary>Runs one model: prefill, then interleaved rounds of decode steps at each batch size and bandwidth samples.</summary>
    public static GenerateBenchResult Run(string name, ModelConfig config, int promptTokens, int[] batches, int rounds,
        int prefillRepeats, Action<string>? log)
    {
        log?.Invoke($"{name}: initialising {config.ParameterCount() / 1e6:F1}M random weights…");
        using var model = TransformerModel.Create(config, seed: 1);
        var rng = new Random(7);
        int[] Prompt(int n) => Enumerable.Range(0, n).Select(_ => rng.Next(1, config.VocabSize)).ToArray();

        // Prefill: one prompt into a fresh cache, logits of the last token.
        var prefill = new List<double>();
        using (var engine = new InferenceEngine(model, rowCapacity: promptTokens, maxSegments: 1))
        {
            var logits = new float[config.VocabSize];
            for (int i = 0; i < prefillRepeats + 1; i++)
            {
                using var cache = engine.CreateCache(promptTokens);
                var prompt = Prompt(promptTokens);
                long start = Stopwatch.GetTimestamp();
                engine.Forward([new ForwardSegment(cache, prompt)], logits);
                if (i > 0) prefill.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);  // the first run warms up the JIT
            }
        }
        double prefillRate = promptTokens / Median(prefill);
        log?.Invoke($"{name}: prefill {promptTokens} tokens: {prefillRate:F1} tokens/s (median of {prefillRepeats})");

        // Decode: one generator per batch size, B sequences with 16-token prompts; the first Step prefills, one more warms up.
        var generators = batches.Select(b =>
        {
            var gen = new Generator(model, new GeneratorOptions { MaxBatchSize = b, MaxSequenceLength = 16 + rounds + 4 });
            for (int i = 0; i < b; i++)
                gen.Add(new GenerationRequest(Prompt(16), new SamplingOptions { Seed = (ulong)i, MaxNewTokens = rounds + 3, StopTokenIds = [] }));
            gen.Step();
            gen.Step();
            return gen;
        }).ToList();
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;      // before the bandwidth probe is allocated

        var probe = GC.AllocateUninitializedArray<float>(ProbeFloats, pinned: true);
        probe.AsSpan().Fill(1f);
        var partial = new double[256];
        ReadBandwidthSample(probe, partial);
        long weightBytes = config.ParameterCount() * sizeof(float);     // every weight read once per token (tied embedding once, as lm_head)
        var stepTimes = batches.Select(_ => new List<double>()).ToList();
        var bandwidth = new List<double>();
        var boundRatio = new List<double>();
        var batchRatio = new List<double>();
        int i1 = Array.IndexOf(batches, 1), i8 = Array.IndexOf(batches, 8);
        for (int r = 0; r < rounds; r++)
        {
            double bw = ReadBandwidthSample(probe, partial);
            bandwidth.Add(bw);
            for (int b = 0; b < batches.Length; b++)
            {
                long start = Stopwatch.GetTimestamp();
                generators[b].Step();
                stepTimes[b].Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            if (i1 >= 0)
            {
                double b1Rate = 1 / stepTimes[i1][^1];
                boundRatio.Add(b1Rate / (bw / weightBytes));
                if (i8 >= 0) batchRatio.Add(8 / stepTimes[i8][^1] / b1Rate);
            }
        }
        foreach (var g in generators) g.Dispose();

        var decode = batches.Select((b, i) =>
        {
            double median = Median(stepTimes[i]);
            log?.Invoke($"{name}: decode batch {b}: {b / median:F1} tokens/s ({median * 1e3:F1} ms/step, median of {rounds})");
            return new DecodeBenchResult(b, median * 1e3, b / median);
        }).ToList();
        double readBw = Median(bandwidth);
        return new GenerateBenchResult(name, config.ParameterCount(), weightBytes, promptTokens, prefillRate, decode, rounds,
            readBw, readBw / weightBytes, boundRatio.Count > 0 ? Median(boundRatio) : double.NaN,
            batchRatio.Count > 0 ? Median(batchRatio) : double.NaN, peak);
    }

    private static double Median(List<double> samples)
    {
        var sorted = samples.Order().ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
