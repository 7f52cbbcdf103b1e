using Whetstone.Agents.Tools;

namespace Whetstone.Agents.Policies;

/// <summary>Per-call options of <see cref="IPolicy.RespondAsync"/>: the tools on offer and how to sample.</summary>
public sealed record PolicyOptions
{
    /// <summary>Tools the policy may call this turn.</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    /// <summary>Sampling settings.</summary>
    public SamplingOptions Sampling { get; init; } = new();
}
