namespace Whetstone.Agents.Environments.ToolApi;

/// <summary>Settings of the tool-api environment.</summary>
public sealed record ToolApiOptions
{
    /// <summary>Assistant turns before the episode ends without a final answer.</summary>
    public int MaxTurns { get; init; } = 6;

    /// <summary>
    /// Tools on offer per task: 0 offers all 24; K offers the task's own tools plus distractors drawn from the task's
    /// seed, K in all (in catalog order, so the right tool's position varies). Calling a tool that is not on offer is
    /// an unknown-tool error. Why: the 24 JSON Schemas are ~9,000 characters of prompt, far more than a tiny model
    /// trained from scratch can afford per episode; a retrieval step that narrows the tools is how large tool sets are
    /// usually served anyway.
    /// </summary>
    public int ToolsOffered { get; init; }
}
