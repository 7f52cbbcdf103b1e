using System.ClientModel.Primitives;
using System.Text.Json;
using OpenAI.Chat;
using Whetstone.Models.Generation;
using Whetstone.Server.Protocol;
using Whetstone.Server.Replies;

namespace Whetstone.Server.Tests.Replies;

/// <summary>Hermes tool calls in generated text → OpenAI's <c>tool_calls</c>, checked by reading the JSON back with the official SDK.</summary>
public sealed class ReplyParserTests
{
    private const string TwoCalls =
        "I will compute both.\n<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"3+4\"}}\n</tool_call>\n" +
        "<tool_call>\n{\"name\": \"search\", \"arguments\": {\"query\": \"seven\"}}\n</tool_call>";

    [Fact]
    public void Tool_calls_become_openai_tool_calls_with_unique_ids_and_finish_reason_tool_calls()
    {
        var reply = new ReplyParser("<think>", "</think>", [], "call_abc_").Parse(TwoCalls, promptOpensReasoning: false);
        var builder = new ChatResponseBuilder("chatcmpl-1", 1700000000, "tiny");
        string finish = ChatResponseBuilder.FinishReason(FinishReason.StopToken, reply);
        Assert.Equal("tool_calls", finish);

        var json = builder.Completion(reply, finish, promptTokens: 20, completionTokens: 30).ToJsonString();
        var completion = ModelReaderWriter.Read<ChatCompletion>(BinaryData.FromString(json))!;
        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.Equal("I will compute both.", completion.Content.Single().Text);
        Assert.Equal(2, completion.ToolCalls.Count);
        Assert.Equal(["call_abc_0", "call_abc_1"], completion.ToolCalls.Select(c => c.Id));
        Assert.Equal("calculator", completion.ToolCalls[0].FunctionName);
        Assert.Equal("3+4", JsonDocument.Parse(completion.ToolCalls[0].FunctionArguments.ToString()).RootElement.GetProperty("expression").GetString());
        Assert.Equal("search", completion.ToolCalls[1].FunctionName);
        Assert.Equal(50, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public void A_cut_reply_is_length_even_with_a_call_and_a_plain_stop_is_stop()
    {
        var parser = new ReplyParser("<think>", "</think>", [], "call_");
        Assert.Equal("length", ChatResponseBuilder.FinishReason(FinishReason.MaxTokens, parser.Parse(TwoCalls, false)));
        Assert.Equal("stop", ChatResponseBuilder.FinishReason(FinishReason.StopToken, parser.Parse("Seven.", false)));
        Assert.Equal("stop", ChatResponseBuilder.FinishReason(FinishReason.StopString, parser.Parse("Seven.", false)));
    }

    [Fact]
    public void Streaming_tool_call_chunk_is_read_by_the_sdk()
    {
        var reply = new ReplyParser(null, null, [], "call_x_").Parse(TwoCalls, false);
        var chunk = new ChatResponseBuilder("chatcmpl-2", 1700000000, "tiny").Chunk(toolCalls: reply.ToolCalls).ToJsonString();
        var update = ModelReaderWriter.Read<StreamingChatCompletionUpdate>(BinaryData.FromString(chunk))!;
        Assert.Equal(2, update.ToolCallUpdates.Count);
        Assert.Equal(1, update.ToolCallUpdates[1].Index);
        Assert.Equal("call_x_1", update.ToolCallUpdates[1].ToolCallId);
        Assert.Equal("search", update.ToolCallUpdates[1].FunctionName);
        Assert.Contains("seven", update.ToolCallUpdates[1].FunctionArgumentsUpdate.ToString());
    }

    [Fact]
    public void Reasoning_stop_strings_and_malformed_calls()
    {
        var parser = new ReplyParser("<think>", "</think>", ["END"], "call_");
        var reply = parser.Parse("<think>\nadd them\n</think>\n\nIt is 7. END more", false);
        Assert.Equal("add them", reply.Reasoning);
        Assert.Equal("It is 7.", reply.Content);

        // Reasoning is only read at the start (or when the prompt opened it): text already streamed stays content.
        Assert.Null(parser.Parse("hmm </think> ok", false).Reasoning);
        Assert.Equal("add", parser.Parse("add</think>7", true).Reasoning);

        var malformed = parser.Parse("Try <tool_call>{not json}</tool_call>", false);
        Assert.Empty(malformed.ToolCalls);
        Assert.Equal("Try\n<tool_call>{not json}</tool_call>", malformed.Content);
    }
}
