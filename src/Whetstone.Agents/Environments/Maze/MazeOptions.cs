namespace Whetstone.Agents.Environments.Maze;

/// <summary>Settings of the maze environment.</summary>
public sealed record MazeOptions
{
    /// <summary>
    /// Maze cells per side; the grid the agent walks is 2·Size+1 squares wide, because walls and passages between
    /// cells take a square each.
    /// </summary>
    public int Size { get; init; } = 4;

    /// <summary>
    /// Percent of the expert's moves replaced by a uniformly random direction (walls included), seeded by the task.
    /// 0 (default) is the clean depth-first expert, which never walks into a wall, so a model trained only on its
    /// episodes never sees a "Blocked" reply or a detour and has no example of recovering from one. With noise the
    /// episodes show mistakes and the expert carrying on from wherever it ended up (DAgger-style recovery data).
    /// </summary>
    public int ExpertNoisePercent { get; init; }

    /// <summary>
    /// Partial credit for an episode that ends short of the goal: reward 0.5 × the share of the start's shortest-path
    /// distance to the goal that the agent closed (never below 0), instead of 0. Reaching the goal is still 1 and is
    /// still the only Success. Why: with a 0/1 outcome over 6–40 moves, GRPO on the tiny maze models could not tell a
    /// near miss from wandering off (docs/grpo.md); the distance is a denser, still verifiable signal.
    /// </summary>
    public bool ProgressReward { get; init; }
}
