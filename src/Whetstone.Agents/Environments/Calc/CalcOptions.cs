namespace Whetstone.Agents.Environments.Calc;

/// <summary>Settings of the calc environment.</summary>
public sealed record CalcOptions
{
    /// <summary>How many operations and how large the numbers.</summary>
    public CalcDifficulty Difficulty { get; init; } = CalcDifficulty.Easy;

    /// <summary>Assistant turns before the episode ends unanswered (reward 0).</summary>
    public int MaxTurns { get; init; } = 10;
}
