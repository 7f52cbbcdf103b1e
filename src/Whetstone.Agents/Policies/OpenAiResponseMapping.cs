using System.Text.Json;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;
using Sdk = OpenAI.Chat;

namespace Whetstone.Agents.Policies;

/// <summary>An OpenAI SDK chat completion as a <see cref="PolicyResponse"/>.</summary>
internal static class OpenAiResponseMapping
{
    public static PolicyResponse Response(Sdk.ChatCompletion completion, BinaryData rawBody)
    {
        var text = string.Concat(completion.Content.Where(p => p.Kind == Sdk.ChatMessageContentPartKind.Text).Select(p => p.Text));
        var calls = new List<ToolCall>();
        var malformed = new List<MalformedToolCall>();
        for (var i = 0; i < completion.ToolCalls.Count; i++)
        {
            var call = completion.ToolCalls[i];
            var args = call.FunctionArguments?.ToString() ?? "";
            // llama.cpp and some templates send "" for a call without arguments; that means an empty object.
            if (string.IsNullOrWhiteSpace(args)) args = "{}";
            var id = string.IsNullOrEmpty(call.Id) ? $"call_{i}" : call.Id;
            if (ArgumentsProblem(args) is { } problem)
            {
                var raw = JsonSerializer.Serialize(new { id, name = call.FunctionName, arguments = args });
                malformed.Add(new MalformedToolCall(raw, $"The arguments of the call to '{call.FunctionName}' are not a JSON object: {problem}"));
            }
            else if (string.IsNullOrEmpty(call.FunctionName))
            {
                malformed.Add(new MalformedToolCall(JsonSerializer.Serialize(new { id, arguments = args }), "The tool call has no function name."));
            }
            else
            {
                calls.Add(new ToolCall(id, call.FunctionName, args));
            }
        }

        return new PolicyResponse
        {
            Action = new AgentAction
            {
                Content = text.Length == 0 && completion.ToolCalls.Count > 0 ? null : text,
                Reasoning = Reasoning(rawBody),
                ToolCalls = calls,
                MalformedToolCalls = malformed,
            },
            FinishReason = FinishReason(completion.FinishReason),
            PromptTokens = completion.Usage?.InputTokenCount,
            CompletionTokens = completion.Usage?.OutputTokenCount,
        };
    }

    /// <summary>Why <paramref name="args"/> is not a JSON object, or null when it is one.</summary>
    public static string? ArgumentsProblem(string args)
    {
        try
        {
            using var doc = JsonDocument.Parse(args);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? null : $"found a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}";
        }
        catch (JsonException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// <c>choices[0].message.reasoning_content</c> (vLLM, SGLang, llama.cpp with a reasoning parser, DeepSeek) or
    /// <c>reasoning</c> (newer vLLM, Ollama); the SDK does not model either, so it is read from the raw body.
    /// </summary>
    public static string? Reasoning(BinaryData rawBody)
    {
        try
        {
            using var doc = JsonDocument.Parse(rawBody);
            if (!doc.RootElement.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
                return null;
            if (!choices[0].TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object) return null;
            foreach (var name in (ReadOnlySpan<string>)["reasoning_content", "reasoning"])
                if (message.TryGetProperty(name, out var r) && r.ValueKind == JsonValueKind.String && r.GetString() is { Length: > 0 } s)
                    return s;
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string FinishReason(Sdk.ChatFinishReason reason) => reason switch
    {
        Sdk.ChatFinishReason.Stop => "stop",
        Sdk.ChatFinishReason.Length => "length",
        Sdk.ChatFinishReason.ToolCalls => "tool_calls",
        Sdk.ChatFinishReason.ContentFilter => "content_filter",
        Sdk.ChatFinishReason.FunctionCall => "function_call",
        _ => reason.ToString().ToLowerInvariant(),
    };
}
