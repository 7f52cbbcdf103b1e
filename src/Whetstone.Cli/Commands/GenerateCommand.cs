using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Whetstone.Models.Generation;
using Whetstone.Models.Tokenization;
using Whetstone.Models.Transformer;
using Whetstone.Models.Lora;

namespace Whetstone.Cli.Commands;

/// <summary>
/// <c>whet generate --model DIR (--prompt TEXT | --prompt-ids 1,2,3) [--max-tokens N] [--temperature T] [--seed S] …</c>:
/// loads a Hugging Face model directory (config.json, safetensors, tokenizer.json) and continues the prompt,
/// streaming the text. The prompt is used as given (no chat template); <c>--json</c> prints ids, log-probs and timing instead.
/// </summary>
public static class GenerateCommand
{
    /// <summary>Builds the <c>generate</c> verb.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model directory: config.json, model.safetensors (or shards), tokenizer.json.", Required = true };
        var prompt = new Option<string?>("--prompt") { Description = "Prompt text (encoded with the model's tokenizer, special tokens parsed)." };
        var promptIds = new Option<string?>("--prompt-ids") { Description = "Prompt as comma-separated token ids instead of text (no tokenizer needed)." };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Most tokens to generate.", DefaultValueFactory = _ => 128 };
        var temperature = new Option<float>("--temperature") { Description = "Sampling temperature; 0 is greedy.", DefaultValueFactory = _ => 0.7f };
        var topK = new Option<int>("--top-k") { Description = "Keep the k most likely tokens (0 = off).", DefaultValueFactory = _ => 0 };
        var topP = new Option<float>("--top-p") { Description = "Nucleus sampling mass (1 = off).", DefaultValueFactory = _ => 1f };
        var minP = new Option<float>("--min-p") { Description = "Drop tokens below min-p × the top probability (0 = off).", DefaultValueFactory = _ => 0f };
        var seed = new Option<ulong?>("--seed") { Description = "Random seed (default: a random one)." };
        var stop = new Option<string[]>("--stop") { Description = "Stop string (repeatable).", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (ids, log-probs, text, finish reason, timing) instead of streaming text." };
        var adapter = new Option<string?>("--adapter") { Description = "PEFT LoRA adapter directory (adapter_config.json + adapter_model.safetensors), merged into the weights at load." };
        var cmd = new Command("generate", "Continue a prompt with a local model. Example: whet generate --model models/Qwen2.5-0.5B --prompt \"The capital of France is\"");
        foreach (var o in new Option[] { model, adapter, prompt, promptIds, maxTokens, temperature, topK, topP, minP, seed, stop, json })
            cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            string dir = parse.GetValue(model)!;
            string? text = parse.GetValue(prompt), idsText = parse.GetValue(promptIds);
            if ((text is null) == (idsText is null))
            {
                Console.Error.WriteLine("generate: give exactly one of --prompt or --prompt-ids.");
                return 2;
            }
            try
            {
                var options = new SamplingOptions
                {
                    Temperature = parse.GetValue(temperature),
                    TopK = parse.GetValue(topK),
                    TopP = parse.GetValue(topP),
                    MinP = parse.GetValue(minP),
                    Seed = parse.GetValue(seed),
                    MaxNewTokens = parse.GetValue(maxTokens),
                    StopStrings = parse.GetValue(stop) ?? [],
                };
                options.Validate();
                var tokenizer = text is not null || File.Exists(Path.Combine(dir, "tokenizer.json")) ? Tokenizer.Load(dir) : null;
                int[] ids = text is not null ? tokenizer!.Encode(text) : ParseIds(idsText!);
                if (options.StopStrings.Count > 0 && tokenizer is null)
                {
                    Console.Error.WriteLine("generate: --stop needs a tokenizer.json in the model directory.");
                    return 2;
                }

                var load = Stopwatch.StartNew();
                using var transformer = TransformerModel.Load(dir);
                using var lora = parse.GetValue(adapter) is { } adapterDir ? LoraModel.Load(transformer, adapterDir) : null;
                lora?.Merge();   // W += scaling·B·A once; then plain projections
                double loadSeconds = load.Elapsed.TotalSeconds;
                using var generator = new Generator(transformer, new GeneratorOptions { MaxBatchSize = 1, MaxSequenceLength = Math.Min(transformer.Config.MaxPositionEmbeddings, ids.Length + options.MaxNewTokens) });
                var request = new GenerationRequest(ids, options, tokenizer is null ? null : t => tokenizer.Decode(t));
                bool asJson = parse.GetValue(json);
                var stream = tokenizer?.CreateStreamingDecoder();
                var clock = Stopwatch.StartNew();
                double firstTokenSeconds = 0;
                GenerationResult? result = null;
                generator.Add(request);
                while (result is null)
                    foreach (var e in generator.Step())
                    {
                        if (firstTokenSeconds == 0) firstTokenSeconds = clock.Elapsed.TotalSeconds;
                        if (!asJson) Console.Write(stream is null ? $"{e.Token.Id} " : stream.Push(e.Token.Id));
                        result = e.Finished ?? result;
                    }
                double total = clock.Elapsed.TotalSeconds;
                if (!asJson)
                {
                    if (stream is not null) Console.Write(stream.Flush());
                    Console.WriteLine();
                    double decodeRate = result.Tokens.Count > 1 ? (result.Tokens.Count - 1) / (total - firstTokenSeconds) : 0;
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"[{result.Tokens.Count} tokens, {result.Reason}; load {loadSeconds:F1}s, prompt {ids.Length} tokens in {firstTokenSeconds:F2}s, decode {decodeRate:F1} tokens/s]"));
                    return 0;
                }
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    prompt_ids = ids,
                    ids = result.Tokens,
                    logprobs = result.LogProbs,
                    text = tokenizer?.Decode(result.Tokens),
                    finish_reason = result.Reason.ToString(),
                    stop_string = result.StopString,
                    load_seconds = loadSeconds,
                    time_to_first_token_seconds = firstTokenSeconds,
                    total_seconds = total,
                }));
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or KeyNotFoundException or ArgumentException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"generate: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }

    private static int[] ParseIds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new ArgumentException("--prompt-ids: no ids given.");
        return parts.Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out int id) && id >= 0
            ? id
            : throw new ArgumentException($"--prompt-ids: '{p}' is not a token id.")).ToArray();
    }
}
