namespace Whetstone.Agents.Tools;

/// <summary>What a tool handler answers: the text the agent sees, and whether the tool refused the request.</summary>
/// <param name="Content">The tool's output, or the reason it failed.</param>
/// <param name="IsError">True when the tool could not do what was asked (e.g. division by zero, an occupied cell).</param>
public sealed record ToolResult(string Content, bool IsError = false)
{
    /// <summary>A successful result.</summary>
    public static ToolResult Ok(string content) => new(content);

    /// <summary>A failure, phrased for the model to read.</summary>
    public static ToolResult Error(string message) => new(message, IsError: true);
}
