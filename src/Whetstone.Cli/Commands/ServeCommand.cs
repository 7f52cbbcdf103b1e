using System.CommandLine;
using Whetstone.Models.Lora;
using Whetstone.Models.Transformer;
using Whetstone.Server;
using Whetstone.Training.Data;

namespace Whetstone.Cli.Commands;

/// <summary>
/// <c>whet serve --model DIR [--host 127.0.0.1] [--port 8000] [--api-key KEY]</c>: an OpenAI-compatible server
/// (<c>/v1/chat/completions</c> with tools and streaming, <c>/v1/models</c>) over a local model directory, all
/// requests sharing one continuously batched decoder. Runs until Ctrl+C.
/// </summary>
public static class ServeCommand
{
    /// <summary>Environment variable read for the API key when <c>--api-key</c> is not given.</summary>
    public const string ApiKeyVariable = "WHET_API_KEY";

    /// <summary>Builds the <c>serve</c> verb.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model directory: config.json, safetensors, tokenizer.json, tokenizer_config.json (chat template).", Required = true };
        var adapter = new Option<string?>("--adapter") { Description = "PEFT LoRA adapter directory (adapter_config.json + adapter_model.safetensors), merged into the weights at load." };
        var host = new Option<string>("--host") { Description = "Address to bind (loopback by default; 0.0.0.0 exposes the model to the network).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port; 0 picks a free one and prints it.", DefaultValueFactory = _ => 8000 };
        var apiKey = new Option<string?>("--api-key") { Description = $"Require Authorization: Bearer KEY (default: ${ApiKeyVariable}; none = open)." };
        var name = new Option<string?>("--model-name") { Description = "Model name clients send (default: the adapter's or else the model directory's name)." };
        var batch = new Option<int>("--max-batch-size") { Description = "Most sequences decoded together.", DefaultValueFactory = _ => 32 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Largest max_tokens a request may ask for (and the default).", DefaultValueFactory = _ => 1024 };
        var context = new Option<int?>("--max-seq-len") { Description = "Prompt + reply tokens per sequence (default: the model's, at most 4096)." };
        var bodyLimit = new Option<long>("--max-request-bytes") { Description = "Largest request body (413 above).", DefaultValueFactory = _ => 1 << 20 };
        var quiet = new Option<bool>("--quiet") { Description = "Do not log one line per request." };
        var cmd = new Command("serve", "Serve a local model over an OpenAI-compatible HTTP API. Example: whet serve --model models/Qwen3-0.6B --port 8000");
        foreach (var o in new Option[] { model, adapter, host, port, apiKey, name, batch, maxTokens, context, bodyLimit, quiet })
            cmd.Options.Add(o);
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            string dir = parse.GetValue(model)!;
            try
            {
                var chat = ChatFormatter.FromDirectory(dir);
                using var transformer = TransformerModel.Load(dir);
                using var lora = parse.GetValue(adapter) is { } adapterDir ? LoraModel.Load(transformer, adapterDir) : null;
                // Merged, the adapter costs nothing per token: W += scaling·B·A once, then plain projections.
                lora?.Merge();
                var options = new ServerOptions
                {
                    Host = parse.GetValue(host)!,
                    Port = parse.GetValue(port),
                    ApiKey = parse.GetValue(apiKey) ?? NonEmpty(Environment.GetEnvironmentVariable(ApiKeyVariable)),
                    ModelName = parse.GetValue(name) ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(parse.GetValue(adapter) ?? dir))),
                    MaxBatchSize = parse.GetValue(batch),
                    MaxTokensLimit = parse.GetValue(maxTokens),
                    MaxSequenceLength = parse.GetValue(context),
                    MaxRequestBytes = parse.GetValue(bodyLimit),
                    Log = parse.GetValue(quiet) ? null : Console.Error,
                };
                await using var server = await WhetServer.StartAsync(transformer, chat, options, cancellationToken);
                Console.WriteLine($"whet serve: model \"{options.ModelName}\" at {server.BaseAddress} ({(options.ApiKey is null ? "no API key" : "API key required")}); Ctrl+C stops.");
                // Ctrl+C / SIGTERM reach either the command line's token or the web host's own console lifetime.
                await Task.WhenAny(server.WaitForShutdownAsync(CancellationToken.None), Task.Delay(Timeout.Infinite, cancellationToken));
                Console.Error.WriteLine($"whet serve: stopped after {server.TokensGenerated} generated tokens.");
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or KeyNotFoundException or ArgumentException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"serve: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
