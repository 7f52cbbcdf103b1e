using Whetstone.Agents.Policies;

namespace Whetstone.Agents.Environments.TicTacToe;

/// <summary>Creates tictactoe environments, lists their tasks, and provides the minimax expert.</summary>
/// <param name="options">The opponent and the turn budget.</param>
public sealed class TicTacToeEnvironmentFactory(TicTacToeOptions options) : IEnvironmentFactory
{
    /// <summary>The registered name.</summary>
    public const string EnvironmentName = "tictactoe";

    /// <summary>A factory with default options (random opponent).</summary>
    public TicTacToeEnvironmentFactory() : this(new TicTacToeOptions()) { }

    /// <summary>The options every environment of this factory uses.</summary>
    public TicTacToeOptions Options { get; } = options;

    /// <inheritdoc />
    public string Name => EnvironmentName;

    /// <inheritdoc />
    public string Description => $"Tic-tac-toe as X against a {Options.Opponent.ToString().ToLowerInvariant()} opponent; win 1, draw 0.5, loss 0.";

    /// <inheritdoc />
    public IReadOnlyList<EnvironmentTask> Tasks(DataSplit split, int count, int offset = 0) =>
        TaskSplits.Tasks(Name, split, count, offset);

    /// <inheritdoc />
    public IEnvironment Create() => new TicTacToeEnvironment(Options);

    /// <inheritdoc />
    public IPolicy CreateExpert(IEnvironment environment) => environment is TicTacToeEnvironment game
        ? new TicTacToeExpertPolicy(game)
        : throw new ArgumentException($"The tictactoe expert needs a tictactoe environment, got {environment.GetType().Name}.", nameof(environment));
}
