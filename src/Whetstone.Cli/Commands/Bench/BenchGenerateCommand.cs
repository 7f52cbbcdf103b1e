using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Whetstone.Models.Configuration;
using Whetstone.Models.Transformer;
using Whetstone.Tensors.Kernels;
using Whetstone.Tensors.Threading;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>
/// <c>whet bench generate [--json] [--model small|qwen2.5-0.5b|all]</c>: prefill and batched decode throughput of
/// random-weight models (a ~19M Qwen3-style model and Qwen2.5-0.5B's shape), peak working set, and batch-1 decoding
/// against the memory-bandwidth bound (weight bytes per token ÷ copy bandwidth measured in the same run).
/// </summary>
public static class BenchGenerateCommand
{
    /// <summary>Builds the <c>generate</c> sub-verb of <c>bench</c>.</summary>
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var which = new Option<string>("--model")
        {
            Description = "small (~19M Qwen3-style), qwen2.5-0.5b, or all.",
            DefaultValueFactory = _ => "all",
        };
        var command = new Command("generate", "Prefill and batched decode tokens/s of random-weight models, with the batch-1 bandwidth bound. Example: whet bench generate --json");
        command.Options.Add(json);
        command.Options.Add(which);
        command.SetAction(parse =>
        {
            string model = parse.GetValue(which)!;
            if (model is not ("small" or "qwen2.5-0.5b" or "all"))
            {
                Console.Error.WriteLine($"--model: expected small, qwen2.5-0.5b or all, got '{model}'.");
                return 2;
            }
            bool asJson = parse.GetValue(json);
            Action<string>? log = asJson ? null : Console.WriteLine;
            if (!asJson)
                Console.WriteLine($"GEMM: {Gemm.Implementation}; {ComputeThreads.Count} compute threads; medians; random weights; temperature-1 sampling included in decode.");
            var results = new List<GenerateBenchResult>();
            if (model is "small" or "all")
                results.Add(GenerateBenchmark.Run("qwen3-style-19m", ModelShapes.Qwen3Style20M(), 128, [1, 8, 32], rounds: 41, prefillRepeats: 5, log));
            if (model is "qwen2.5-0.5b" or "all")
                results.Add(GenerateBenchmark.Run("qwen2.5-0.5b", ModelShapes.Qwen2_5_0_5B(), 128, [1, 8, 32], rounds: 7, prefillRepeats: 3, log));
            double copy = GenerateBenchmark.CopyBandwidth();
            log?.Invoke($"copy bandwidth (bytes read + written by a 256 MB memcpy, 1 thread): {copy / 1e9:F2} GB/s");
            results = results.Select(r => r with { CopyBoundTokensPerSecond = copy / r.WeightBytes }).ToList();

            if (asJson)
            {
                var doc = new
                {
                    benchmark = "generate",
                    date = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    gemm = Gemm.Implementation,
                    threads = ComputeThreads.Count,
                    copyBandwidthBytesPerSecond = copy,
                    method = "interleaved rounds: each round one read-bandwidth sample (sum of 128 MB over the compute threads) and one Generator.Step per batch size; medians over rounds; ratios per round",
                    peakMemory = "Process.PeakWorkingSet64 (whole process) after each model's prefill and decode set-up, before the bandwidth probe",
                    results,
                };
                Console.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
                return 0;
            }
            Console.WriteLine();
            Console.WriteLine("bound = weight bytes per token ÷ read bandwidth (parallel sum, same round); copy bound uses the memcpy figure. Ratios: medians of per-round ratios.");
            Console.WriteLine($"{"model",-16} {"prefill tok/s",13} {"b1 tok/s",9} {"b8 tok/s",9} {"b32 tok/s",10} {"b8/b1",6} {"read GB/s",9} {"bound tok/s",11} {"b1/bound",8} {"copy bound",10} {"peak WS",9}");
            foreach (var r in results)
            {
                string Rate(int b) => r.Decode.FirstOrDefault(d => d.Batch == b) is { } d ? d.TokensPerSecond.ToString("F1", CultureInfo.InvariantCulture) : "-";
                Console.WriteLine($"{r.Model,-16} {r.PrefillTokensPerSecond,13:F1} {Rate(1),9} {Rate(8),9} {Rate(32),10} {r.Batch8OverBatch1,6:F2} {r.ReadBandwidthBytesPerSecond / 1e9,9:F2} {r.ReadBoundTokensPerSecond,11:F1} {r.Batch1OverReadBound,8:F2} {r.CopyBoundTokensPerSecond,10:F1} {r.PeakWorkingSetBytes / 1e9,7:F2}GB");
            }
            return 0;
        });
        return command;
    }
}
