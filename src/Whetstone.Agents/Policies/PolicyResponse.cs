using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Policies;

/// <summary>The assistant turn a policy produced, with the tokens behind it when the policy is local.</summary>
public sealed record PolicyResponse
{
    /// <summary>What the policy did: text, reasoning and tool calls.</summary>
    public required AgentAction Action { get; init; }

    /// <summary>The exact token ids generated, for local policies (token-in/token-out RL); null for remote ones.</summary>
    public IReadOnlyList<int>? TokenIds { get; init; }

    /// <summary>Log-probability of each generated id under the sampling policy.</summary>
    public IReadOnlyList<float>? LogProbs { get; init; }

    /// <summary>
    /// Training weight of the turn, copied to <see cref="Trajectories.ActionStep.Weight"/>: a scripted expert sets 0 on
    /// the moves it made at random for state coverage, so that SFT learns to recover from them without imitating them
    /// (as in DART's noise injection). Null: the default, train on it.
    /// </summary>
    public int? Weight { get; init; }

    /// <summary>Why generation stopped: <c>stop</c>, <c>length</c>, <c>tool_calls</c>.</summary>
    public string? FinishReason { get; init; }

    /// <summary>Prompt tokens consumed, when known.</summary>
    public int? PromptTokens { get; init; }

    /// <summary>Completion tokens produced, when known.</summary>
    public int? CompletionTokens { get; init; }
}
