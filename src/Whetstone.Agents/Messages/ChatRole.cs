namespace Whetstone.Agents.Messages;

/// <summary>Who speaks a <see cref="ChatMessage"/>, in OpenAI's four roles.</summary>
public enum ChatRole
{
    /// <summary>Instructions that frame the conversation.</summary>
    System,
    /// <summary>The user, or the environment speaking as the user (the task statement).</summary>
    User,
    /// <summary>The agent: the policy being trained or evaluated.</summary>
    Assistant,
    /// <summary>The output of a tool call, answering one <see cref="ToolCall"/> by its id.</summary>
    Tool,
}
