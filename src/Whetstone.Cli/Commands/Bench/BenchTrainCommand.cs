using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Whetstone.Models.Configuration;
using Whetstone.Tensors.Kernels;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>
/// <c>whet bench train [--json] [--batch 8] [--length 256] [--steps 5] [--warmup 2] [--threads N]</c>: training
/// tokens/s and MFU of full fine-tuning (forward + causal-LM loss + backward + AdamW) of a random-weight ~19M
/// Qwen3-style model. MFU = 6·N·tokens/s ÷ the GFLOP/s of the model's own linear GEMMs measured in the same run.
/// </summary>
public static class BenchTrainCommand
{
    /// <summary>Builds the <c>train</c> sub-verb of <c>bench</c>.</summary>
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var batch = new Option<int>("--batch") { Description = "Sequences per step, B.", DefaultValueFactory = _ => 8 };
        var length = new Option<int>("--length") { Description = "Tokens per sequence, T.", DefaultValueFactory = _ => 256 };
        var steps = new Option<int>("--steps") { Description = "Timed steps (medians reported).", DefaultValueFactory = _ => 5 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first.", DefaultValueFactory = _ => 2 };
        var threads = new Option<int>("--threads")
        {
            Description = "Compute threads for the steps and the GEMM reference (default: all cores).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var command = new Command("train", "Training tokens/s, per-phase times and MFU (6·N·tok/s ÷ same-run GEMM GFLOP/s) of a ~19M model. Example: whet bench train --steps 3 --json");
        foreach (var o in new Option[] { json, batch, length, steps, warmup, threads }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var options = new TrainBenchOptions(parse.GetValue(batch), parse.GetValue(length), parse.GetValue(steps),
                parse.GetValue(warmup), parse.GetValue(threads));
            var config = ModelShapes.Qwen3Style20M();
            if (Validate(options, config) is string error)
            {
                Console.Error.WriteLine(error);
                return 2;
            }
            bool asJson = parse.GetValue(json);
            if (!asJson)
                Console.WriteLine($"Full fine-tuning step of qwen3-style-19m (random weights, fp32), B={options.Batch}, T={options.Length}, " +
                                  $"{options.Threads} threads; GEMM: {Gemm.Implementation}");
            var r = TrainBenchmark.Run("qwen3-style-19m", config, options, asJson ? null : Console.WriteLine);
            if (asJson)
            {
                var document = new
                {
                    benchmark = "train",
                    date = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    gemm = Gemm.Implementation,
                    formula = "mfu = 6·parameters·tokensPerSecond ÷ gemmGflops; parameters = all, tied embedding once; " +
                              "mfuWithAttention adds 12·layers·heads·headDim·T per token; gemmGflops = the linear layers' GEMM FLOPs of a step ÷ their summed median times, measured in the same run; " +
                              "mfuCpuTime uses process CPU seconds of step and GEMMs instead of wall seconds; mfuVsSquareGemm uses a 1024³ NN GEMM as the reference",
                    result = r,
                };
                Console.WriteLine(JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
                return 0;
            }
            Print(r);
            return 0;
        });
        return command;
    }

    private static string? Validate(TrainBenchOptions o, ModelConfig config)
    {
        if (o.Batch < 1) return $"--batch: must be at least 1, got {o.Batch}.";
        if (o.Length < 2 || o.Length > config.MaxPositionEmbeddings)
            return $"--length: must be between 2 and {config.MaxPositionEmbeddings}, got {o.Length}.";
        if (o.Steps < 1) return $"--steps: must be at least 1, got {o.Steps}.";
        if (o.Warmup < 0) return $"--warmup: must be 0 or more, got {o.Warmup}.";
        if (o.Threads < 1 || o.Threads > 1024) return $"--threads: must be between 1 and 1024, got {o.Threads}.";
        return null;
    }

    private static void Print(TrainBenchResult r)
    {
        var m = r.Median;
        Console.WriteLine();
        Console.WriteLine($"parameters N = {r.Parameters:N0} (embedding {r.EmbeddingParameters:N0}, tied, counted once as the lm_head; non-embedding {r.NonEmbeddingParameters:N0})");
        Console.WriteLine($"FLOPs per token: 6·N = {r.FlopsPerToken / 1e6:F1} M; attention term 12·L·H·D·T = {r.AttentionFlopsPerToken / 1e6:F1} M (not in the headline)");
        Console.WriteLine($"median step {m.Step:F3} s over {r.Steps}: forward+loss {m.Forward:F3} s ({m.Forward / m.Step:P0}), backward {m.Backward:F3} s ({m.Backward / m.Step:P0}), " +
                          $"AdamW {m.Optimizer:F3} s ({m.Optimizer / m.Step:P0}), zero-grad+reset {m.Reset:F3} s ({m.Reset / m.Step:P0})");
        Console.WriteLine($"tokens/s {r.TokensPerSecond:F0}; linear GEMMs alone {r.GemmGflops:F1} GFLOP/s ({r.Gemms.Sum(g => g.StepSeconds):F3} s of a step)");
        Console.WriteLine($"MFU = 6·N·tok/s ÷ GEMM = {r.Mfu:P1}; with the attention term {r.MfuWithAttention:P1}; from CPU time {r.MfuCpuTime:P1} (step {r.StepCpuSeconds:F3} CPU-s)");
        Console.WriteLine($"square 1024³ GEMM {r.SquareGemmGflops:F1} GFLOP/s; 6·N·tok/s ÷ that = {r.MfuVsSquareGemm:P1}");
        Console.WriteLine($"loss {r.LastLoss:F4}; managed bytes allocated per step {r.AllocatedBytesPerStep:N0}; tape pool {r.TapePoolBytes / 1e6:F0} MB; peak working set {r.PeakWorkingSetBytes / 1e6:F0} MB");
        Console.WriteLine();
        Console.WriteLine($"{"GEMM",-20} {"shape",-22} {"count",5} {"GFLOP/s",8} {"s/step",7}");
        foreach (var g in r.Gemms)
            Console.WriteLine($"{g.Name,-20} {g.Shape,-22} {g.Count,5} {g.Gflops,8:F1} {g.StepSeconds,7:F3}");
    }
}
