using System.ClientModel;
using System.Text;
using OpenAI.Chat;
using Whetstone.Agents.Tools;
using AgentChatMessage = Whetstone.Agents.Messages.ChatMessage;

namespace Whetstone.Server.Tests.Endpoints;

/// <summary>The server driven by the official OpenAI .NET SDK (2.15.0), as any client would.</summary>
public sealed class ChatCompletionsSdkTests(TinyServer fixture) : IClassFixture<TinyServer>
{
    private static readonly List<ChatMessage> Conversation =
        [new SystemChatMessage("You are a helpful calculator."), new UserChatMessage("What is 3 plus 4?")];

    private static readonly List<AgentChatMessage> SameConversation =
        [AgentChatMessage.System("You are a helpful calculator."), AgentChatMessage.User("What is 3 plus 4?")];

    private static ChatCompletionOptions Sampled(long seed, int maxTokens = 12) =>
        new() { Temperature = 1f, TopP = 0.95f, Seed = seed, MaxOutputTokenCount = maxTokens };

    [Fact]
    public async Task Completion_has_content_finish_reason_and_usage_of_the_rendered_prompt()
    {
        var completion = (await fixture.Client().CompleteChatAsync(Conversation, Sampled(5))).Value;

        int promptTokens = fixture.Chat.EncodePrompt(SameConversation).Length;
        Assert.Equal(promptTokens, completion.Usage.InputTokenCount);
        Assert.InRange(completion.Usage.OutputTokenCount, 1, 12);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        Assert.Equal(TinyServer.ModelName, completion.Model);
        Assert.StartsWith("chatcmpl-", completion.Id);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Contains(completion.FinishReason, new[] { ChatFinishReason.Stop, ChatFinishReason.Length, ChatFinishReason.ToolCalls });
        if (completion.FinishReason == ChatFinishReason.Length) Assert.Equal(12, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task Same_seed_gives_the_same_reply_and_streamed_chunks_add_up_to_it()
    {
        var client = fixture.Client();
        int contentChunks = 0, nonEmpty = 0;
        for (long seed = 1; seed <= 4; seed++)
        {
            var plain = (await client.CompleteChatAsync(Conversation, Sampled(seed, 24))).Value;
            var again = (await client.CompleteChatAsync(Conversation, Sampled(seed, 24))).Value;
            string text = string.Concat(plain.Content.Select(p => p.Text));
            Assert.Equal(text, string.Concat(again.Content.Select(p => p.Text)));

            var streamed = new StringBuilder();
            ChatFinishReason? finish = null;
            ChatTokenUsage? usage = null;
            int chunks = 0;
            var calls = new List<StreamingChatToolCallUpdate>();
            await foreach (var update in client.CompleteChatStreamingAsync(Conversation, Sampled(seed, 24)))
            {
                chunks++;
                foreach (var part in update.ContentUpdate) { streamed.Append(part.Text); if (part.Text.Length > 0) contentChunks++; }
                calls.AddRange(update.ToolCallUpdates);
                finish ??= update.FinishReason;
                usage ??= update.Usage;
            }
            Assert.Equal(text, streamed.ToString());
            if (text.Length > 0) nonEmpty++;
            Assert.Equal(plain.FinishReason, finish);
            Assert.Equal(plain.ToolCalls.Count, calls.Count);
            Assert.True(chunks >= 2, "a stream has at least the role chunk and the finish chunk");
            Assert.NotNull(usage); // the SDK asks for stream_options.include_usage
            Assert.Equal(plain.Usage.InputTokenCount, usage!.InputTokenCount);
            Assert.Equal(plain.Usage.OutputTokenCount, usage.OutputTokenCount);
        }
        // The random model writes text for most seeds, and the text arrives in several chunks, not one at the end.
        Assert.True(nonEmpty > 0, "no seed produced any content");
        Assert.True(contentChunks > nonEmpty, $"{contentChunks} content chunks for {nonEmpty} non-empty replies");
    }

    [Fact]
    public async Task Tools_are_rendered_into_the_prompt_and_the_reply_is_well_formed()
    {
        var tool = ToolDefinition.Create("calculator", "Evaluates an arithmetic expression.",
            """{"type":"object","properties":{"expression":{"type":"string"}},"required":["expression"]}""");
        var options = Sampled(9, 16);
        options.Tools.Add(ChatTool.CreateFunctionTool("calculator", "Evaluates an arithmetic expression.",
            BinaryData.FromString(tool.Parameters.GetRawText())));

        var completion = (await fixture.Client().CompleteChatAsync(Conversation, options)).Value;

        // The prompt the server counted is exactly the template's rendering with the tool block.
        int withTools = fixture.Chat.EncodePrompt(SameConversation, [tool]).Length;
        int without = fixture.Chat.EncodePrompt(SameConversation).Length;
        Assert.True(fixture.Chat.RenderPrompt(SameConversation, [tool]).Contains("\"name\": \"calculator\"", StringComparison.Ordinal)
            || fixture.Chat.RenderPrompt(SameConversation, [tool]).Contains("\"name\":\"calculator\"", StringComparison.Ordinal));
        Assert.True(withTools > without);
        Assert.Equal(withTools, completion.Usage.InputTokenCount);
        if (completion.FinishReason == ChatFinishReason.ToolCalls) Assert.NotEmpty(completion.ToolCalls);
        if (completion.ToolCalls.Count > 0) Assert.Contains(completion.FinishReason, new[] { ChatFinishReason.ToolCalls, ChatFinishReason.Length });
        foreach (var call in completion.ToolCalls)
        {
            Assert.StartsWith("call_", call.Id);
            Assert.False(string.IsNullOrEmpty(call.FunctionName));
        }
    }

    [Fact]
    public async Task A_tool_conversation_round_trip_is_accepted()
    {
        var tool = ChatTool.CreateFunctionTool("calculator", "Evaluates an arithmetic expression.",
            BinaryData.FromString("""{"type":"object","properties":{"expression":{"type":"string"}}}"""));
        List<ChatMessage> messages =
        [
            new UserChatMessage("What is 3 plus 4?"),
            new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("call_a", "calculator", BinaryData.FromString("""{"expression":"3+4"}"""))]),
            new ToolChatMessage("call_a", "7"),
        ];
        var options = Sampled(2, 8);
        options.Tools.Add(tool);
        var completion = (await fixture.Client().CompleteChatAsync(messages, options)).Value;
        Assert.InRange(completion.Usage.OutputTokenCount, 1, 8);
    }

    [Fact]
    public async Task Max_tokens_is_honoured_and_above_the_limit_is_a_400_naming_the_field()
    {
        var client = fixture.Client();
        var greedy = new ChatCompletionOptions { Temperature = 0f, MaxOutputTokenCount = 3 };
        var completion = (await client.CompleteChatAsync(Conversation, greedy)).Value;
        Assert.InRange(completion.Usage.OutputTokenCount, 1, 3);

        var tooMany = new ChatCompletionOptions { MaxOutputTokenCount = TinyServer.MaxTokensLimit + 1 };
        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync(Conversation, tooMany));
        Assert.Equal(400, error.Status);
        Assert.Contains("max_completion_tokens", error.Message);
        Assert.Contains($"{TinyServer.MaxTokensLimit}", error.Message);
    }

    [Fact]
    public async Task A_stop_string_ends_the_reply_before_it_streamed_or_not()
    {
        var client = fixture.Client();
        for (long seed = 20; seed < 40; seed++)
        {
            var full = (await client.CompleteChatAsync(Conversation, Sampled(seed, 24))).Value;
            string text = string.Concat(full.Content.Select(p => p.Text));
            if (full.ToolCalls.Count > 0 || text.Length < 8) continue;
            // A stop string taken from the middle of the reply the same seed gives without it.
            string stop = text.Substring(text.Length / 2, 2);
            if (string.IsNullOrWhiteSpace(stop)) continue;
            string expected = text[..text.IndexOf(stop, StringComparison.Ordinal)].TrimEnd();

            var options = Sampled(seed, 24);
            options.StopSequences.Add(stop);
            var cut = (await client.CompleteChatAsync(Conversation, options)).Value;
            Assert.Equal(expected, string.Concat(cut.Content.Select(p => p.Text)));
            Assert.Equal(ChatFinishReason.Stop, cut.FinishReason);
            Assert.True(cut.Usage.OutputTokenCount < full.Usage.OutputTokenCount);

            var streamed = new StringBuilder();
            await foreach (var update in client.CompleteChatStreamingAsync(Conversation, options))
                foreach (var part in update.ContentUpdate) streamed.Append(part.Text);
            Assert.Equal(expected, streamed.ToString());
            return;
        }
        Assert.Fail("no seed gave a reply long enough to cut");
    }

    [Fact]
    public async Task Wrong_api_key_is_401_and_unknown_model_is_404()
    {
        var badKey = await Assert.ThrowsAsync<ClientResultException>(() => fixture.Client(apiKey: "wrong").CompleteChatAsync(Conversation));
        Assert.Equal(401, badKey.Status);
        Assert.Contains("API key", badKey.Message);

        var unknown = await Assert.ThrowsAsync<ClientResultException>(() => fixture.Client(model: "gpt-nothing").CompleteChatAsync(Conversation));
        Assert.Equal(404, unknown.Status);
        Assert.Contains("gpt-nothing", unknown.Message);
    }

    [Fact]
    public async Task Thirty_two_concurrent_clients_all_finish_without_errors()
    {
        var client = fixture.Client();
        var tasks = Enumerable.Range(0, 32).Select(async i =>
        {
            var options = Sampled(100 + i, 6);
            if (i % 2 == 0)
                return (await client.CompleteChatAsync(Conversation, options)).Value.Usage.OutputTokenCount;
            int tokens = 0;
            await foreach (var update in client.CompleteChatStreamingAsync(Conversation, options))
                if (update.Usage is { } u) tokens = u.OutputTokenCount;
            return tokens;
        }).ToList();
        var counts = await Task.WhenAll(tasks);
        Assert.All(counts, c => Assert.InRange(c, 1, 6));
    }

    [Fact]
    public async Task A_client_that_goes_away_mid_stream_does_not_disturb_the_next_one()
    {
        var client = fixture.Client();
        using (var cts = new CancellationTokenSource())
        {
            var options = new ChatCompletionOptions { Temperature = 1f, Seed = 1, MaxOutputTokenCount = TinyServer.MaxTokensLimit };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var update in client.CompleteChatStreamingAsync(Conversation, options, cts.Token))
                    cts.Cancel();
            });
        }
        var completion = (await client.CompleteChatAsync(Conversation, Sampled(3, 4))).Value;
        Assert.InRange(completion.Usage.OutputTokenCount, 1, 4);
    }
}
