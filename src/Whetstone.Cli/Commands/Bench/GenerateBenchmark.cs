using System.Diagnostics;
using Whetstone.Models.Configuration;
using Whetstone.Models.Generation;
using Whetstone.Models.Transformer;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>Figures of one model in <c>whet bench generate</c>.</summary>
internal sealed record GenerateBenchResult(
    string Model, long Parameters, long WeightBytes, int PromptTokens, double PrefillTokensPerSecond,
    IReadOnlyList<DecodeBenchResult> Decode, double ReadBoundTokensPerSecond, double Batch1OverReadBound,
    double CopyBoundTokensPerSecond, double Batch1OverCopyBound, double Batch8OverBatch1, long PeakWorkingSetBytes);

/// <summary>Decode throughput at one batch size.</summary>
internal sealed record DecodeBenchResult(int Batch, int Steps, double MedianStepMilliseconds, double TokensPerSecond);

/// <summary>
/// Random-weight generation benchmark: prefill of a prompt, then batched decode steps through <see cref="Generator"/>
/// (temperature-1 sampling included), medians over repetitions; and the memory-bandwidth bound of batch-1 decoding.
/// </summary>
internal static class GenerateBenchmark
{
    /// <summary>STREAM-style copy bandwidth in bytes/s (bytes read + bytes written), median of several copies of a 256 MB array.</summary>
    public static unsafe double CopyBandwidth(int repeats = 7)
    {
        const long bytes = 256L << 20;
        var src = new byte[bytes];
        var dst = new byte[bytes];
        new Random(1).NextBytes(src.AsSpan(0, 1 << 20));
        var samples = new List<double>();
        fixed (byte* s = src, d = dst)
            for (int i = 0; i < repeats + 1; i++)
            {
                long start = Stopwatch.GetTimestamp();
                Buffer.MemoryCopy(s, d, bytes, bytes);
                double sec = Stopwatch.GetElapsedTime(start).TotalSeconds;
                if (i > 0) samples.Add(2.0 * bytes / sec);   // first copy faults the pages in
            }
        return Median(samples);
    }

    /// <summary>
    /// Read bandwidth in bytes/s: a sum over a 512 MB float array split across the compute threads, as decoding
    /// streams its weights (median of several passes).
    /// </summary>
    public static unsafe double ReadBandwidth(int repeats = 7)
    {
        const int floats = 128 << 20;
        var data = GC.AllocateUninitializedArray<float>(floats, pinned: true);
        data.AsSpan().Fill(1f);
        var partial = new double[1024];
        var samples = new List<double>();
        fixed (float* p = data)
        fixed (double* sums = partial)
        {
            var body = new SumBody { Data = p, Sums = sums, Chunk = floats / 1024 };
            for (int i = 0; i < repeats + 1; i++)
            {
                long start = Stopwatch.GetTimestamp();
                Whetstone.Tensors.Threading.ComputePool.For(1024, body);
                double sec = Stopwatch.GetElapsedTime(start).TotalSeconds;
                if (i > 0) samples.Add(4.0 * floats / sec);
            }
        }
        if (partial.Sum() != floats) throw new InvalidOperationException("read-bandwidth sum is wrong");
        return Median(samples);
    }

    private unsafe struct SumBody : Whetstone.Tensors.Threading.IComputeLoopBody
    {
        public float* Data;
        public double* Sums;
        public int Chunk;

        public readonly void Invoke(int index) =>
            Sums[index] = System.Numerics.Tensors.TensorPrimitives.Sum(new ReadOnlySpan<float>(Data + (long)index * Chunk, Chunk));
    }

    /// <summary>Runs one model: prefill, decode at each batch size, bandwidth bound.</summary>
    public static GenerateBenchResult Run(string name, ModelConfig config, int promptTokens,
        IReadOnlyList<(int Batch, int Steps)> decodePlan, int prefillRepeats, Action<string>? log)
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
        log?.Invoke($"{name}: prefill {promptTokens} tokens: {prefillRate:F1} tokens/s");

        // Decode: B sequences with 16-token prompts; the first Step prefills, the rest are timed one by one.
        var decode = new List<DecodeBenchResult>();
        foreach (var (batch, steps) in decodePlan)
        {
            using var gen = new Generator(model, new GeneratorOptions { MaxBatchSize = batch, MaxSequenceLength = 16 + steps + 4 });
            for (int b = 0; b < batch; b++)
                gen.Add(new GenerationRequest(Prompt(16), new SamplingOptions { Seed = (ulong)b, MaxNewTokens = steps + 3, StopTokenIds = [] }));
            gen.Step();
            gen.Step();                                          // warm-up decode step
            var times = new List<double>();
            for (int s = 0; s < steps; s++)
            {
                long start = Stopwatch.GetTimestamp();
                gen.Step();
                times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            double median = Median(times);
            decode.Add(new DecodeBenchResult(batch, steps, median * 1e3, batch / median));
            log?.Invoke($"{name}: decode batch {batch}: {batch / median:F1} tokens/s ({median * 1e3:F1} ms/step)");
        }

        // Batch-1 bound: every weight is read once per token (the tied embedding once, as lm_head).
        long weightBytes = config.ParameterCount() * sizeof(float);
        double b1 = decode.FirstOrDefault(d => d.Batch == 1)?.TokensPerSecond ?? double.NaN;
        double b8 = decode.FirstOrDefault(d => d.Batch == 8)?.TokensPerSecond ?? double.NaN;
        return new GenerateBenchResult(name, config.ParameterCount(), weightBytes, promptTokens, prefillRate, decode,
            double.NaN, double.NaN, double.NaN, double.NaN, b8 / b1, Process.GetCurrentProcess().PeakWorkingSet64);
    }

    /// <summary>Fills in the batch-1 bounds: weight bytes per token ÷ each bandwidth.</summary>
    public static GenerateBenchResult WithBounds(GenerateBenchResult r, double copyBandwidth, double readBandwidth)
    {
        double b1 = r.Decode.FirstOrDefault(d => d.Batch == 1)?.TokensPerSecond ?? double.NaN;
        double readBound = readBandwidth / r.WeightBytes, copyBound = copyBandwidth / r.WeightBytes;
        return r with
        {
            ReadBoundTokensPerSecond = readBound, Batch1OverReadBound = b1 / readBound,
            CopyBoundTokensPerSecond = copyBound, Batch1OverCopyBound = b1 / copyBound,
        };
    }

    private static double Median(List<double> samples)
    {
        var sorted = samples.Order().ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
