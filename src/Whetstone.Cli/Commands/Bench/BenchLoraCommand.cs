using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Whetstone.Models.Configuration;
using Whetstone.Models.Generation;
using Whetstone.Models.Lora;
using Whetstone.Models.Transformer;
using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Optim;
using Whetstone.Tensors.Threading;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>
/// <c>whet bench lora [--model qwen2.5-0.5b|small] [--length 512] [--rank 16] [--dropout 0.05] [--targets q_proj,v_proj] [--loss hidden|logits] [--steps 3] [--json]</c>: peak memory
/// and step time of LoRA SFT (forward + backward + AdamW on the adapters, all seven projections unless --targets) on a random-weight
/// model, fp32 weights. Peak memory is <c>Process.PeakWorkingSet64</c> of the whole process.
/// </summary>
public static class BenchLoraCommand
{
    /// <summary>Builds the <c>lora</c> sub-verb of <c>bench</c>.</summary>
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var which = new Option<string>("--model") { Description = "qwen2.5-0.5b or small (~19M).", DefaultValueFactory = _ => "qwen2.5-0.5b" };
        var length = new Option<int>("--length") { Description = "Sequence length T (batch 1).", DefaultValueFactory = _ => 512 };
        var rank = new Option<int>("--rank") { Description = "LoRA rank r (alpha = 2r).", DefaultValueFactory = _ => 16 };
        var dropout = new Option<float>("--dropout") { Description = "lora_dropout.", DefaultValueFactory = _ => 0.05f };
        var steps = new Option<int>("--steps") { Description = "Training steps to time (median reported).", DefaultValueFactory = _ => 3 };
        var targets = new Option<string>("--targets")
        {
            Description = "Comma-separated projections to adapt (default: all seven).",
            DefaultValueFactory = _ => string.Join(",", LoraConfig.AllProjections),
        };
        var lossFrom = new Option<string>("--loss")
        {
            Description = "hidden: chunked cross-entropy from the hidden states (CausalLmLoss.NextTokenFromHidden, no (T, V) logits); logits: materialise the logits first (CausalLmLoss.NextToken).",
            DefaultValueFactory = _ => "hidden",
        };
        var decode = new Option<int>("--decode-tokens")
        {
            Description = "Also time batch-1 greedy decoding of this many tokens: adapters on, merged, and disabled (0 skips).",
            DefaultValueFactory = _ => 0,
        };
        var command = new Command("lora", "Peak memory and step time of LoRA SFT forward+backward on a random-weight model. Example: whet bench lora --model small --length 128 --json");
        foreach (var o in new Option[] { json, which, length, rank, dropout, targets, steps, decode }) command.Options.Add(o);
        command.Options.Add(lossFrom);
        command.SetAction(parse =>
        {
            string name = parse.GetValue(which)!;
            ModelConfig? config = name switch
            {
                "qwen2.5-0.5b" => ModelShapes.Qwen2_5_0_5B(),
                "small" => ModelShapes.Qwen3Style20M(),
                _ => null,
            };
            if (config is null)
            {
                Console.Error.WriteLine($"--model: expected qwen2.5-0.5b or small, got '{name}'.");
                return 2;
            }
            string lossPath = parse.GetValue(lossFrom)!;
            if (lossPath is not ("hidden" or "logits"))
            {
                Console.Error.WriteLine($"--loss: expected hidden or logits, got '{lossPath}'.");
                return 2;
            }
            int t = parse.GetValue(length), r = parse.GetValue(rank), n = Math.Max(1, parse.GetValue(steps));
            bool asJson = parse.GetValue(json);
            var process = Process.GetCurrentProcess();

            var loraConfig = new LoraConfig
            {
                Rank = r, Alpha = 2 * r, Dropout = parse.GetValue(dropout),
                TargetModules = parse.GetValue(targets)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            };
            try { loraConfig.Validate(); }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
            using var model = TransformerModel.Create(config, seed: 0);
            process.Refresh();
            long afterWeights = process.WorkingSet64;
            using var lora = LoraModel.Attach(model, loraConfig);
            var opt = new AdamW(lora.Parameters, new AdamWOptions { LearningRate = 1e-4f });
            var rng = new Rng(1);
            var ids = new int[t];
            for (int i = 0; i < t; i++) ids[i] = rng.NextInt(config.VocabSize);
            var mask = Enumerable.Repeat(1f, t).ToArray();

            using var tape = new Tape();
            var seconds = new List<double>();
            float loss = 0;
            for (int s = 0; s < n; s++)
            {
                var sw = Stopwatch.StartNew();
                var l = lossPath == "hidden"
                    ? CausalLmLoss.NextTokenFromHidden(tape, model.ForwardHidden(tape, ids, 1, t), model.LmHead, ids, mask)
                    : CausalLmLoss.NextToken(tape, model.Forward(tape, ids, 1, t), ids, mask);
                loss = l[0];
                tape.Backward(l);
                opt.Step();
                lora.Parameters.ZeroGrad();
                tape.Reset();
                seconds.Add(sw.Elapsed.TotalSeconds);
            }
            process.Refresh();
            long peak = process.PeakWorkingSet64;
            seconds.Sort();
            var decodeSeconds = DecodeTimes(model, lora, parse.GetValue(decode));
            double median = seconds[seconds.Count / 2];
            const double GiB = 1024.0 * 1024 * 1024;
            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    model = name, length = t, rank = r, loss = lossPath, dropout = lora.Config.Dropout, targets = lora.Config.TargetModules, steps = n, threads = ComputeThreads.Count,
                    base_parameters = model.Parameters.ElementCount, adapter_parameters = lora.Parameters.ElementCount,
                    working_set_after_weights_bytes = afterWeights, peak_working_set_bytes = peak,
                    tape_pool_bytes = tape.PooledBytes, tape_peak_bytes_in_use = tape.PeakBytesInUse, median_step_seconds = median, tokens_per_second = t / median, last_loss = loss,
                    decode_seconds_per_token = decodeSeconds,
                }));
            }
            else
            {
                Console.WriteLine($"LoRA SFT, {name} random weights (fp32), T={t}, batch 1, r={r}, dropout {lora.Config.Dropout} on {string.Join(",", lora.Config.TargetModules)}, loss from {lossPath}; {ComputeThreads.Count} compute threads.");
                Console.WriteLine($"base parameters {model.Parameters.ElementCount:N0} (frozen), adapter parameters {lora.Parameters.ElementCount:N0}");
                Console.WriteLine($"working set after weights: {afterWeights / GiB:F2} GiB; peak working set: {peak / GiB:F2} GiB; tape pool {tape.PooledBytes / GiB:F2} GiB (peak in use {tape.PeakBytesInUse / GiB:F2} GiB)");
                Console.WriteLine($"step (forward + backward + AdamW): median {median:F2} s over {n}, {t / median:F0} tokens/s; loss {loss:F4}");
                foreach (var (mode, s) in decodeSeconds)
                    Console.WriteLine($"batch-1 decode, {mode}: median {s * 1000:F1} ms/token");
            }
            return 0;
        });
        return command;
    }

    /// <summary>Median seconds per greedy decode step (batch 1, 16-token prompt) with adapters on, merged and disabled.</summary>
    private static Dictionary<string, double> DecodeTimes(TransformerModel model, LoraModel lora, int tokens)
    {
        var result = new Dictionary<string, double>();
        if (tokens <= 0) return result;
        var rng = new Rng(3);
        foreach (var l in lora.Layers) rng.FillNormal(l.B.AsSpan(), 0f, 0.01f);   // a trained-looking adapter, not B = 0
        var prompt = Enumerable.Range(0, 16).Select(_ => rng.NextInt(model.Config.VocabSize)).ToArray();
        double Time()
        {
            using var gen = new Generator(model, new GeneratorOptions { MaxBatchSize = 1 });
            gen.Add(new GenerationRequest(prompt, SamplingOptions.Greedy(tokens) with { StopTokenIds = [] }));
            gen.Step();   // prefill
            var steps = new List<double>();
            for (int i = 1; i < tokens; i++)
            {
                var sw = Stopwatch.StartNew();
                if (gen.Step().Count == 0) break;
                steps.Add(sw.Elapsed.TotalSeconds);
            }
            steps.Sort();
            return steps.Count == 0 ? double.NaN : steps[steps.Count / 2];
        }
        result["adapters on"] = Time();
        lora.Merge();
        result["merged"] = Time();
        lora.Unmerge();
        using (lora.DisableAdapters()) result["disabled"] = Time();
        return result;
    }
}
