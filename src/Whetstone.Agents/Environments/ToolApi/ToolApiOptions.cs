namespace Whetstone.Agents.Environments.ToolApi;

/// <summary>Settings of the tool-api environment.</summary>
public sealed record ToolApiOptions
{
    /// <summary>Assistant turns before the episode ends without a final answer.</summary>
    public int MaxTurns { get; init; } = 6;
}
