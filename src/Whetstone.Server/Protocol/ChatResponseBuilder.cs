using System.Text.Json.Nodes;
using Whetstone.Agents.Messages;
using Whetstone.Server.Replies;

namespace Whetstone.Server.Protocol;

/// <summary>
/// Builds OpenAI's response shapes for one completion: the <c>chat.completion</c> object and the
/// <c>chat.completion.chunk</c> objects of a stream, sharing one id and creation time.
/// </summary>
internal sealed class ChatResponseBuilder(string id, long created, string model)
{
    /// <summary>The completion id (<c>chatcmpl-…</c>).</summary>
    public string Id { get; } = id;

    /// <summary>OpenAI's finish reason: tool calls win over stop; a cut reply is <c>length</c>.</summary>
    public static string FinishReason(Whetstone.Models.Generation.FinishReason reason, AssistantReply reply) => reason switch
    {
        Whetstone.Models.Generation.FinishReason.MaxTokens or Whetstone.Models.Generation.FinishReason.ContextFull => "length",
        _ => reply.ToolCalls.Count > 0 ? "tool_calls" : "stop",
    };

    /// <summary>The non-streaming response.</summary>
    public JsonObject Completion(AssistantReply reply, string finishReason, int promptTokens, int completionTokens)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content };
        if (reply.Reasoning is not null) message["reasoning_content"] = reply.Reasoning;
        if (reply.ToolCalls.Count > 0) message["tool_calls"] = ToolCalls(reply.ToolCalls, withIndex: false);
        return new JsonObject
        {
            ["id"] = Id,
            ["object"] = "chat.completion",
            ["created"] = created,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["logprobs"] = null,
                ["finish_reason"] = finishReason,
            }),
            ["usage"] = Usage(promptTokens, completionTokens),
        };
    }

    /// <summary>A chunk whose delta holds the given fields (null ones left out) and, on the last chunk, the finish reason.</summary>
    public JsonObject Chunk(string? role = null, string? content = null, string? reasoning = null,
        IReadOnlyList<ToolCall>? toolCalls = null, string? finishReason = null)
    {
        var delta = new JsonObject();
        if (role is not null) delta["role"] = role;
        if (content is not null) delta["content"] = content;
        if (reasoning is not null) delta["reasoning_content"] = reasoning;
        if (toolCalls is { Count: > 0 }) delta["tool_calls"] = ToolCalls(toolCalls, withIndex: true);
        return Envelope(new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["delta"] = delta,
            ["logprobs"] = null,
            ["finish_reason"] = finishReason,
        }));
    }

    /// <summary>The usage chunk of <c>stream_options.include_usage</c>: no choices.</summary>
    public JsonObject UsageChunk(int promptTokens, int completionTokens)
    {
        var chunk = Envelope(new JsonArray());
        chunk["usage"] = Usage(promptTokens, completionTokens);
        return chunk;
    }

    private JsonObject Envelope(JsonArray choices) => new()
    {
        ["id"] = Id,
        ["object"] = "chat.completion.chunk",
        ["created"] = created,
        ["model"] = model,
        ["choices"] = choices,
    };

    private static JsonArray ToolCalls(IReadOnlyList<ToolCall> calls, bool withIndex)
    {
        var array = new JsonArray();
        for (int i = 0; i < calls.Count; i++)
        {
            var call = new JsonObject();
            if (withIndex) call["index"] = i;
            call["id"] = calls[i].Id;
            call["type"] = "function";
            call["function"] = new JsonObject { ["name"] = calls[i].Name, ["arguments"] = calls[i].ArgumentsJson };
            array.Add(call);
        }
        return array;
    }

    private static JsonObject Usage(int prompt, int completion) => new()
    {
        ["prompt_tokens"] = prompt,
        ["completion_tokens"] = completion,
        ["total_tokens"] = prompt + completion,
    };
}
