using System.ClientModel;
using OpenAI;
using OpenAI.Chat;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;
using Whetstone.Models.Configuration;
using Whetstone.Models.Templates;
using Whetstone.Models.Tokenization.Training;
using Whetstone.Models.Transformer;
using Whetstone.Training.Data;
using AgentChatMessage = Whetstone.Agents.Messages.ChatMessage;

namespace Whetstone.Server.Tests;

/// <summary>
/// A server on a free loopback port over a tiny random-weight Qwen3-style model and a BPE tokenizer trained on ChatML
/// renderings (with Hermes tool blocks), written with <see cref="ChatMlTokenizerConfig"/>. Shared by the tests of a class.
/// </summary>
public sealed class TinyServer : IAsyncLifetime
{
    public const string ApiKey = "test-key";
    public const string ModelName = "tiny";
    public const int MaxTokensLimit = 64;

    private string _directory = "";

    public TransformerModel Model { get; private set; } = null!;
    public ChatFormatter Chat { get; private set; } = null!;
    public WhetServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var template = new ChatTemplate(ChatMlTemplate.Source);
        var tool = ToolDefinition.Create("calculator", "Evaluates an arithmetic expression.",
            """{"type":"object","properties":{"expression":{"type":"string"}},"required":["expression"]}""");
        var corpus = new List<string>();
        for (int i = 0; i < 40; i++)
        {
            List<AgentChatMessage> conversation =
            [
                AgentChatMessage.System("You are a helpful calculator."),
                AgentChatMessage.User($"What is {i} plus {i * 7}? Please answer briefly."),
                AgentChatMessage.Assistant(null, new ToolCall($"call_{i}", "calculator", $$"""{"expression": "{{i}}+{{i * 7}}"}""")),
                AgentChatMessage.Tool($"call_{i}", "calculator", $"{i + i * 7}"),
                AgentChatMessage.Assistant($"The answer is {i + i * 7}."),
            ];
            corpus.Add(template.Render(TemplateJson.Messages(conversation), TemplateJson.Tools([tool]), addGenerationPrompt: false));
        }
        var trained = new BpeTrainer(new BpeTrainerOptions { VocabSize = 400 }).Train(corpus);
        _directory = Path.Combine(Path.GetTempPath(), $"whet-server-tests-{Guid.NewGuid():N}");
        ChatMlTokenizerConfig.WriteTokenizerFiles(_directory, trained, modelMaxLength: 1024);
        Chat = ChatFormatter.FromDirectory(_directory);
        Model = TransformerModel.Create(ModelShapes.Tiny(Chat.Tokenizer.VocabSize) with { MaxPositionEmbeddings = 1024 }, seed: 3);
        Server = await WhetServer.StartAsync(Model, Chat, new ServerOptions
        {
            Port = 0,
            ModelName = ModelName,
            ApiKey = ApiKey,
            MaxTokensLimit = MaxTokensLimit,
            MaxRequestBytes = 64 * 1024,
        });
    }

    /// <summary>An official OpenAI SDK client for this server.</summary>
    public ChatClient Client(string apiKey = ApiKey, string model = ModelName) =>
        new(model, new ApiKeyCredential(apiKey), new OpenAIClientOptions { Endpoint = Server.BaseAddress });

    /// <summary>A raw HTTP client with the API key set.</summary>
    public HttpClient Http()
    {
        var http = new HttpClient { BaseAddress = new Uri(Server.BaseAddress + "/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
        return http;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Model.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
