using Whetstone.Agents.Messages;

namespace Whetstone.Agents.Trajectories;

/// <summary>
/// One assistant turn: what the policy said (content, reasoning), the tools it called, and any code it asked to
/// run. ADP splits a turn into a message action plus API/code actions; converters regroup them.
/// </summary>
public sealed record AgentAction
{
    /// <summary>Text the agent said to the user, if any.</summary>
    public string? Content { get; init; }

    /// <summary>Reasoning text (thinking) the agent produced before acting, if any.</summary>
    public string? Reasoning { get; init; }

    /// <summary>Well-formed tool calls of this turn, in order.</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];

    /// <summary>Tool calls that could not be parsed; the environment answers each with an error observation.</summary>
    public IReadOnlyList<MalformedToolCall> MalformedToolCalls { get; init; } = [];

    /// <summary>Code the agent asked to execute (ADP <c>code_action</c>), if any.</summary>
    public CodeBlock? Code { get; init; }

    /// <summary>A plain-text action with no tool calls.</summary>
    public static AgentAction Say(string content) => new() { Content = content };

    /// <summary>An action that calls tools (and optionally says something).</summary>
    public static AgentAction Call(params ToolCall[] calls) => new() { ToolCalls = calls };

    /// <summary>This turn as an OpenAI-shaped assistant message.</summary>
    public ChatMessage ToMessage() => new()
    {
        Role = ChatRole.Assistant,
        Content = Content,
        Reasoning = Reasoning,
        ToolCalls = ToolCalls,
    };
}

/// <summary>Code to execute, with its language (e.g. <c>python</c>, <c>bash</c>).</summary>
/// <param name="Language">The language name.</param>
/// <param name="Source">The code.</param>
public sealed record CodeBlock(string Language, string Source);
