using System.Diagnostics;
using Whetstone.Models.Configuration;
using Whetstone.Models.Generation;
using Whetstone.Models.Transformer;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>Figures of one model in <c>whet bench generate</c>.</summary>
internal sealed record GenerateBenchResult(
    string Model, long Parameters, long WeightBytes, int PromptTokens, double PrefillTokensPerSecond,
    IReadOnlyList<DecodeBenchResult> Decode, double BandwidthBoundTokensPerSecond, double Batch1OverBound,
    double Batch8OverBatch1, long PeakWorkingSetBytes);

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

    /// <summary>Runs one model: prefill, decode at each batch size, bandwidth bound.</summary>
    public static GenerateBenchResult Run(string name, ModelConfig config, double copyBandwidth, int promptTokens,
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
        double bound = copyBandwidth / weightBytes;
        double b1 = decode.FirstOrDefault(d => d.Batch == 1)?.TokensPerSecond ?? double.NaN;
        double b8 = decode.FirstOrDefault(d => d.Batch == 8)?.TokensPerSecond ?? double.NaN;
        return new GenerateBenchResult(name, config.ParameterCount(), weightBytes, promptTokens, prefillRate, decode,
            bound, b1 / bound, b8 / b1, Process.GetCurrentProcess().PeakWorkingSet64);
    }

    private static double Median(List<double> samples)
    {
        var sorted = samples.Order().ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
