namespace Whetstone.Agents.Environments.SearchQa;

/// <summary>Settings of the search-qa environment.</summary>
public sealed record SearchQaOptions
{
    /// <summary>Assistant turns before the episode ends unanswered.</summary>
    public int MaxTurns { get; init; } = 8;

    /// <summary>
    /// Pages returned per search. One by default: a page that names the next hop often ranks second, and showing it
    /// would let one search answer a two-hop question.
    /// </summary>
    public int ResultsPerSearch { get; init; } = 1;

    /// <summary>
    /// The reward for an answer: exact match (1 or 0) when false, token F1 when true. Both are always reported as
    /// metrics (<c>em</c>, <c>f1</c>); success means exact match either way.
    /// </summary>
    public bool RewardF1 { get; init; }
}
