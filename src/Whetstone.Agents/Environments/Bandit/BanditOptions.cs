namespace Whetstone.Agents.Environments.Bandit;

/// <summary>Settings of the bandit environment.</summary>
public sealed record BanditOptions
{
    /// <summary>Number of arms K.</summary>
    public int Arms { get; init; } = 5;

    /// <summary>Number of pulls N in an episode.</summary>
    public int Pulls { get; init; } = 30;

    /// <summary>Assistant turns allowed beyond one per pull, for turns without a valid pull.</summary>
    public int SpareTurns { get; init; } = 10;
}
