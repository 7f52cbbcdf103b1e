using System.ClientModel.Primitives;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;
using Sdk = OpenAI.Chat;

namespace Whetstone.Agents.Policies;

/// <summary>Whetstone messages, tools and sampling settings as OpenAI .NET SDK request objects.</summary>
internal static class OpenAiRequestMapping
{
    public static List<Sdk.ChatMessage> Messages(IReadOnlyList<ChatMessage> messages)
    {
        var result = new List<Sdk.ChatMessage>(messages.Count);
        foreach (var m in messages)
        {
            Sdk.ChatMessage mapped = m.Role switch
            {
                ChatRole.System => new Sdk.SystemChatMessage(m.Content ?? ""),
                ChatRole.User => new Sdk.UserChatMessage(m.Content ?? "") { ParticipantName = m.Name },
                ChatRole.Assistant => Assistant(m),
                ChatRole.Tool => new Sdk.ToolChatMessage(
                    m.ToolCallId ?? throw new ArgumentException("A tool message needs the id of the call it answers (ToolCallId)."),
                    m.Content ?? ""),
                _ => throw new ArgumentOutOfRangeException(nameof(messages), $"Unknown role {m.Role}."),
            };
            result.Add(mapped);
        }
        return result;
    }

    private static Sdk.AssistantChatMessage Assistant(ChatMessage m)
    {
        if (m.ToolCalls.Count == 0) return new Sdk.AssistantChatMessage(m.Content ?? "");
        var message = new Sdk.AssistantChatMessage(m.ToolCalls.Select(c =>
            Sdk.ChatToolCall.CreateFunctionToolCall(c.Id, c.Name, BinaryData.FromString(c.ArgumentsJson))));
        if (!string.IsNullOrEmpty(m.Content)) message.Content.Add(Sdk.ChatMessageContentPart.CreateTextPart(m.Content));
        return message;
    }

    public static Sdk.ChatCompletionOptions Options(PolicyOptions? options, bool useMaxCompletionTokens)
    {
        options ??= new PolicyOptions();
        var s = options.Sampling;
        var result = new Sdk.ChatCompletionOptions { Temperature = s.Temperature };
        if (s.TopP < 1f) result.TopP = s.TopP;
#pragma warning disable OPENAI001 // Seed is marked experimental in the SDK; every server we target supports it.
        if (s.Seed is { } seed) result.Seed = seed;
#pragma warning restore OPENAI001
        foreach (var stop in s.Stop) result.StopSequences.Add(stop);
        foreach (var tool in options.Tools) result.Tools.Add(Tool(tool));
        if (useMaxCompletionTokens) result.MaxOutputTokenCount = s.MaxTokens;
#pragma warning disable SCME0001 // JsonPatch is experimental; it is the SDK's way to send fields it does not model.
        else result.Patch.Set("$.max_tokens"u8, s.MaxTokens);
        // Not in OpenAI's API, but vLLM, SGLang and llama.cpp read them (Ollama ignores them).
        if (s.TopK > 0) result.Patch.Set("$.top_k"u8, s.TopK);
        if (s.MinP > 0f) result.Patch.Set("$.min_p"u8, s.MinP);
#pragma warning restore SCME0001
        return result;
    }

    public static Sdk.ChatTool Tool(ToolDefinition tool) =>
        Sdk.ChatTool.CreateFunctionTool(tool.Name, tool.Description, BinaryData.FromString(tool.Parameters.GetRawText()));
}
