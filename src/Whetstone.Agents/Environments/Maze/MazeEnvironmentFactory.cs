using Whetstone.Agents.Policies;

namespace Whetstone.Agents.Environments.Maze;

/// <summary>Creates maze environments, lists their tasks, and provides the exploring expert.</summary>
/// <param name="options">The maze size.</param>
public sealed class MazeEnvironmentFactory(MazeOptions options) : IEnvironmentFactory
{
    /// <summary>The registered name.</summary>
    public const string EnvironmentName = "maze";

    /// <summary>A factory with default options (4×4 cells, a 9×9 grid).</summary>
    public MazeEnvironmentFactory() : this(new MazeOptions()) { }

    /// <summary>The options every environment of this factory uses.</summary>
    public MazeOptions Options { get; } = options;

    /// <inheritdoc />
    public string Name => EnvironmentName;

    /// <inheritdoc />
    public string Description => "Partially observed maze (3x3 view); move up/down/left/right; reward 1 for reaching the goal.";

    /// <inheritdoc />
    public IReadOnlyList<EnvironmentTask> Tasks(DataSplit split, int count, int offset = 0) =>
        TaskSplits.Tasks(Name, split, count, offset);

    /// <inheritdoc />
    public IEnvironment Create() => new MazeEnvironment(Options);

    /// <inheritdoc />
    public IPolicy CreateExpert(IEnvironment environment) => environment is MazeEnvironment maze
        ? new MazeExpertPolicy(maze)
        : throw new ArgumentException($"The maze expert needs a maze environment, got {environment.GetType().Name}.", nameof(environment));
}
