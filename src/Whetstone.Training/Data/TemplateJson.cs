using System.Text.Json.Nodes;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;

namespace Whetstone.Training.Data;

/// <summary>
/// Messages and tools in the OpenAI shape that Hugging Face chat templates read. Content is never null (the Qwen3
/// template calls string methods on it and fails on None, as it does in transformers), tool-call arguments are the
/// JSON text the model wrote (the template layer parses it into a mapping), reasoning is <c>reasoning_content</c>.
/// </summary>
public static class TemplateJson
{
    /// <summary>One message: <c>{"role", "content", "reasoning_content"?, "tool_calls"?, "tool_call_id"?, "name"?}</c>.</summary>
    public static JsonObject Message(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var json = new JsonObject
        {
            ["role"] = RoleName(message.Role),
            ["content"] = message.Content ?? "",
        };
        if (message.Role == ChatRole.Assistant && message.Reasoning is not null)
            json["reasoning_content"] = message.Reasoning;
        if (message.ToolCalls.Count > 0)
        {
            var calls = new JsonArray();
            foreach (var call in message.ToolCalls)
                calls.Add(new JsonObject
                {
                    ["id"] = call.Id,
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.ArgumentsJson },
                });
            json["tool_calls"] = calls;
        }
        if (message.ToolCallId is not null) json["tool_call_id"] = message.ToolCallId;
        if (message.Name is not null) json["name"] = message.Name;
        return json;
    }

    /// <summary>The conversation as a JSON array of <see cref="Message"/> objects.</summary>
    public static JsonArray Messages(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var array = new JsonArray();
        foreach (var m in messages) array.Add(Message(m));
        return array;
    }

    /// <summary>
    /// Tool schemas as <c>[{"type": "function", "function": {"name", "description", "parameters"}}]</c>, or null when
    /// there are none (so that templates and template selection see "no tools", as with <c>tools=None</c>).
    /// </summary>
    public static JsonArray? Tools(IReadOnlyList<ToolDefinition>? tools)
    {
        if (tools is null || tools.Count == 0) return null;
        var array = new JsonArray();
        foreach (var tool in tools)
            array.Add(new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject
                {
                    ["name"] = tool.Name,
                    ["description"] = tool.Description,
                    ["parameters"] = JsonNode.Parse(tool.Parameters.GetRawText()),
                },
            });
        return array;
    }

    /// <summary>The OpenAI role name.</summary>
    public static string RoleName(ChatRole role) => role switch
    {
        ChatRole.System => "system",
        ChatRole.User => "user",
        ChatRole.Assistant => "assistant",
        ChatRole.Tool => "tool",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown chat role"),
    };
}
