namespace Whetstone.Agents.Messages;

/// <summary>
/// One message of a conversation in the OpenAI chat shape. This is what policies read; trajectories
/// (<see cref="Trajectories.Trajectory"/>) hold the same information as actions and observations.
/// </summary>
public sealed record ChatMessage
{
    /// <summary>Who speaks.</summary>
    public required ChatRole Role { get; init; }

    /// <summary>The text content; null for an assistant turn that only calls tools.</summary>
    public string? Content { get; init; }

    /// <summary>Tool calls of an assistant turn; empty otherwise.</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];

    /// <summary>For a <see cref="ChatRole.Tool"/> message: the id of the call it answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>For a tool message, the tool's name; otherwise an optional speaker name.</summary>
    public string? Name { get; init; }

    /// <summary>Reasoning text of an assistant turn (Qwen3's <c>reasoning_content</c>), if any.</summary>
    public string? Reasoning { get; init; }

    /// <summary>Creates a system message.</summary>
    public static ChatMessage System(string content) => new() { Role = ChatRole.System, Content = content };

    /// <summary>Creates a user message.</summary>
    public static ChatMessage User(string content) => new() { Role = ChatRole.User, Content = content };

    /// <summary>Creates an assistant message, optionally with tool calls.</summary>
    public static ChatMessage Assistant(string? content, params ToolCall[] toolCalls) =>
        new() { Role = ChatRole.Assistant, Content = content, ToolCalls = toolCalls };

    /// <summary>Creates a tool-result message answering the call with id <paramref name="toolCallId"/>.</summary>
    public static ChatMessage Tool(string toolCallId, string name, string content) =>
        new() { Role = ChatRole.Tool, ToolCallId = toolCallId, Name = name, Content = content };
}
