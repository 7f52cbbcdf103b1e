using Whetstone.Models.Configuration;
#pragma warning disable OPENAI001 // ChatCompletionOptions.Seed is marked experimental in the SDK.
using System.ClientModel;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using Whetstone.Agents.Tools;
using Whetstone.Models.Templates;
using Whetstone.Models.Tokenization.Training;
using Whetstone.Models.Transformer;
using Whetstone.Server;
using Whetstone.Tensors.Threading;
using Whetstone.Training.Data;
using AgentChatMessage = Whetstone.Agents.Messages.ChatMessage;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>
/// <c>whet bench serve [--model DIR] [--clients 32] [--max-tokens 64] [--json]</c>: generated tokens/s of the
/// OpenAI-compatible server under one streaming client and under many concurrent streaming clients, both driven
/// through loopback HTTP by the official OpenAI SDK in the same process. The ratio is what continuous batching buys.
/// Without <c>--model</c>, a random-weight ~19M Qwen3-style model (<see cref="ModelShapes.Qwen3Style20M"/>)
/// with a BPE tokenizer trained on ChatML text is served.
/// </summary>
public static class BenchServeCommand
{
    /// <summary>Builds the <c>serve</c> sub-verb of <c>bench</c>.</summary>
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Model directory to serve (default: a random ~19M Qwen3-style model)." };
        var clients = new Option<int>("--clients") { Description = "Concurrent streaming clients in the batched run.", DefaultValueFactory = _ => 32 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "max_tokens of each request.", DefaultValueFactory = _ => 64 };
        var rounds = new Option<int>("--rounds") { Description = "Requests per client in each run.", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of lines." };
        var command = new Command("serve", "Server tokens/s: one streaming client vs many concurrent ones (continuous batching). Example: whet bench serve --clients 32 --max-tokens 64");
        foreach (var o in new Option[] { model, clients, maxTokens, rounds, json }) command.Options.Add(o);
        command.SetAction(async (parse, cancellationToken) =>
        {
            int n = parse.GetValue(clients), tokens = parse.GetValue(maxTokens), perClient = parse.GetValue(rounds);
            if (n < 1 || tokens < 1 || perClient < 1)
            {
                Console.Error.WriteLine("bench serve: --clients, --max-tokens and --rounds must be at least 1.");
                return 2;
            }
            string? temp = null;
            string dir = parse.GetValue(model) ?? (temp = RandomModelDirectory());
            try
            {
                var chat = ChatFormatter.FromDirectory(dir);
                using var transformer = temp is null
                    ? TransformerModel.Load(dir)
                    : TransformerModel.Create(ModelShapes.Qwen3Style20M() with { VocabSize = chat.Tokenizer.VocabSize }, seed: 1);
                await using var server = await WhetServer.StartAsync(transformer, chat,
                    new ServerOptions { Port = 0, ModelName = "bench", MaxBatchSize = Math.Max(n, 1), MaxTokensLimit = tokens }, cancellationToken);
                var client = new ChatClient("bench", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = server.BaseAddress });
                bool asJson = parse.GetValue(json);
                if (!asJson)
                    Console.WriteLine($"{(temp is null ? dir : $"random qwen3-style-19m, vocab {chat.Tokenizer.VocabSize}")}; {ComputeThreads.Count} compute threads; {tokens} max tokens per request, temperature 1.");

                await Run(client, 1, 1, Math.Min(tokens, 8), cancellationToken); // warm-up: JIT, first allocations
                var single = await Run(client, 1, perClient * 2, tokens, cancellationToken);
                var many = await Run(client, n, perClient, tokens, cancellationToken);
                double ratio = many.TokensPerSecond / single.TokensPerSecond;
                if (asJson)
                {
                    Console.WriteLine(JsonSerializer.Serialize(new
                    {
                        model = temp is null ? dir : "random-qwen3-style-19m",
                        compute_threads = ComputeThreads.Count,
                        max_tokens = tokens,
                        single = single,
                        concurrent = many,
                        clients = n,
                        speedup = ratio,
                    }));
                }
                else
                {
                    Console.WriteLine(single.Describe("1 client"));
                    Console.WriteLine(many.Describe($"{n} clients"));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"speedup: {ratio:F2}x generated tokens/s"));
                }
                return 0;
            }
            finally
            {
                if (temp is not null) try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
            }
        });
        return command;
    }

    /// <summary>One run: generated tokens/s over the wall time of all clients, and per-request time to first content.</summary>
    public sealed record ServeRun(int Requests, long Tokens, double Seconds, double TokensPerSecond, double MedianFirstTokenSeconds, int Errors)
    {
        /// <summary>One line for the console.</summary>
        public string Describe(string label) => string.Create(CultureInfo.InvariantCulture,
            $"{label,-11}: {Requests} requests, {Tokens} tokens in {Seconds:F2}s = {TokensPerSecond:F1} tokens/s; median first chunk {MedianFirstTokenSeconds * 1000:F0} ms; {Errors} errors");
    }

    private static async Task<ServeRun> Run(ChatClient client, int clients, int perClient, int maxTokens, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var firsts = new List<double>();
        long total = 0;
        int errors = 0;
        var tasks = Enumerable.Range(0, clients).Select(async c =>
        {
            for (int r = 0; r < perClient; r++)
            {
                var options = new ChatCompletionOptions { Temperature = 1f, Seed = c * 1000 + r, MaxOutputTokenCount = maxTokens };
                List<ChatMessage> messages = [new SystemChatMessage("You are a helpful assistant."), new UserChatMessage($"Tell me a story about the number {c * 31 + r}.")];
                var started = clock.Elapsed.TotalSeconds;
                double? first = null;
                try
                {
                    await foreach (var update in client.CompleteChatStreamingAsync(messages, options, ct))
                    {
                        if (first is null && update.ContentUpdate.Count > 0) first = clock.Elapsed.TotalSeconds - started;
                        if (update.Usage is { } u) Interlocked.Add(ref total, u.OutputTokenCount);
                    }
                    lock (firsts) firsts.Add(first ?? clock.Elapsed.TotalSeconds - started);
                }
                catch (ClientResultException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }).ToList();
        await Task.WhenAll(tasks);
        double seconds = clock.Elapsed.TotalSeconds;
        firsts.Sort();
        return new ServeRun(clients * perClient, total, seconds, total / seconds, firsts.Count == 0 ? 0 : firsts[firsts.Count / 2], errors);
    }

    /// <summary>A temporary directory with a BPE tokenizer trained on ChatML conversations (tokenizer.json + tokenizer_config.json).</summary>
    private static string RandomModelDirectory()
    {
        var template = new ChatTemplate(ChatMlTemplate.Source);
        var tool = ToolDefinition.Create("calculator", "Evaluates an arithmetic expression.",
            """{"type":"object","properties":{"expression":{"type":"string"}},"required":["expression"]}""");
        // Pseudo-words from syllables give the BPE trainer enough distinct pairs for a vocabulary of real size, so the
        // LM head costs what it does in a small real model.
        var rng = new Random(7);
        string[] onsets = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "st", "tr", "pl"];
        string[] vowels = ["a", "e", "i", "o", "u", "ai", "ou"];
        var words = Enumerable.Range(0, 6000).Select(_ => string.Concat(Enumerable.Range(0, 1 + rng.Next(4))
            .Select(_ => onsets[rng.Next(onsets.Length)] + vowels[rng.Next(vowels.Length)]))).ToArray();
        var corpus = Enumerable.Range(0, 1500).Select(i =>
        {
            var story = string.Join(' ', Enumerable.Range(0, 60).Select(_ => words[rng.Next(words.Length)]));
            List<AgentChatMessage> conversation =
            [
                AgentChatMessage.System("You are a helpful assistant."),
                AgentChatMessage.User($"Tell me a story about the number {i}."),
                AgentChatMessage.Assistant($"{story} {i}."),
            ];
            return template.Render(TemplateJson.Messages(conversation), TemplateJson.Tools([tool]), addGenerationPrompt: false);
        }).ToList();
        var trained = new BpeTrainer(new BpeTrainerOptions { VocabSize = 8192 }).Train(corpus);
        var dir = Path.Combine(Path.GetTempPath(), $"whet-bench-serve-{Guid.NewGuid():N}");
        ChatMlTokenizerConfig.WriteTokenizerFiles(dir, trained, modelMaxLength: 4096);
        return dir;
    }
}
