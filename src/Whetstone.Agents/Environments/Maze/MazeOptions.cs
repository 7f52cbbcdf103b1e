namespace Whetstone.Agents.Environments.Maze;

/// <summary>Settings of the maze environment.</summary>
public sealed record MazeOptions
{
    /// <summary>
    /// Maze cells per side; the grid the agent walks is 2·Size+1 squares wide, because walls and passages between
    /// cells take a square each.
    /// </summary>
    public int Size { get; init; } = 4;
}
