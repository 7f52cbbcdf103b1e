using Whetstone.Agents.Messages;

namespace Whetstone.Agents.Trajectories;

/// <summary>Where an <see cref="Observation"/> comes from.</summary>
public enum ObservationSource
{
    /// <summary>System instructions given to the agent.</summary>
    System,
    /// <summary>The user or task statement.</summary>
    User,
    /// <summary>The output of a tool call; <see cref="Observation.ToolCallId"/> names the call.</summary>
    Tool,
    /// <summary>Feedback from the environment that is not a tool output (e.g. "you ran out of moves").</summary>
    Environment,
}

/// <summary>
/// What the agent sees: text or JSON text from the system, the user, a tool or the environment.
/// Tool observations carry the id of the call they answer.
/// </summary>
public sealed record Observation
{
    /// <summary>Where it comes from.</summary>
    public required ObservationSource Source { get; init; }

    /// <summary>The text; JSON when <see cref="IsJson"/> is true.</summary>
    public required string Content { get; init; }

    /// <summary>True when <see cref="Content"/> is a JSON document rather than prose.</summary>
    public bool IsJson { get; init; }

    /// <summary>For a tool observation: the id of the call it answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>For a tool observation: the tool's name.</summary>
    public string? Name { get; init; }

    /// <summary>True when this observation reports an error in the agent's action (bad arguments, unknown tool…).</summary>
    public bool IsError { get; init; }

    /// <summary>A system observation.</summary>
    public static Observation System(string content) => new() { Source = ObservationSource.System, Content = content };

    /// <summary>A user observation (the task statement).</summary>
    public static Observation User(string content) => new() { Source = ObservationSource.User, Content = content };

    /// <summary>A tool output answering the call <paramref name="toolCallId"/>.</summary>
    public static Observation Tool(string toolCallId, string name, string content, bool isError = false) =>
        new() { Source = ObservationSource.Tool, ToolCallId = toolCallId, Name = name, Content = content, IsError = isError };

    /// <summary>
    /// This observation as a chat message: tool outputs become tool messages, system stays system, and user and
    /// environment feedback become user messages (chat templates have no environment role).
    /// </summary>
    public ChatMessage ToMessage() => Source switch
    {
        ObservationSource.System => ChatMessage.System(Content),
        ObservationSource.Tool => new ChatMessage { Role = ChatRole.Tool, ToolCallId = ToolCallId, Name = Name, Content = Content },
        _ => ChatMessage.User(Content),
    };
}
