using System.Text.Json;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Environments.TicTacToe;

/// <summary>
/// Tic-tac-toe: the agent plays X against an O opponent (random or minimax, by option). Tool: <c>move(cell)</c> with
/// cells 1–9, left to right and top to bottom; the opponent replies within the same step. Who moves first is part of
/// the task (it alternates across seeds). An illegal move (cell taken, out of range) is an error observation and the
/// agent tries again; one move per turn, further calls in the turn are refused. Reward: win 1, draw 0.5, loss 0;
/// running out of turns is a loss. Success: the agent did not lose.
/// </summary>
public sealed class TicTacToeEnvironment : IEnvironment
{
    private const char Agent = 'X';
    private const char Opponent = 'O';

    private const string SystemPrompt =
        "You play tic-tac-toe as X. Cells are numbered 1 to 9, left to right and top to bottom; the board shows the " +
        "number of each free cell. Call move with a free cell number. Get three X in a row, column or diagonal to win.";

    private readonly TicTacToeOptions _options;
    private readonly ToolBox _tools;
    private readonly Func<Messages.ToolCall, string?> _refusal;
    private readonly Func<string> _noCallHint;
    private TicTacToeGame? _game;
    private TicTacToeBoard _board = TicTacToeBoard.Empty;
    private TaskRandom _opponentRandom = new(0);
    private bool _movedThisTurn;
    private int _turns;
    private bool _done;

    /// <summary>Creates an environment with <paramref name="options"/>.</summary>
    public TicTacToeEnvironment(TicTacToeOptions options)
    {
        _options = options;
        _refusal = _ => _movedThisTurn ? "one move per turn: this call was ignored" : null;
        _noCallHint = () => $"No tool call found. Call move with a free cell number.\n{_board.Render()}";
        _tools = new ToolBox().Add(ToolDefinition.Create("move", "Put your X on a free cell (1-9). The opponent answers.",
            """{"type":"object","properties":{"cell":{"type":"integer","minimum":1,"maximum":9}},"required":["cell"],"additionalProperties":false}"""),
            Move);
    }

    /// <inheritdoc />
    public string Name => TicTacToeEnvironmentFactory.EnvironmentName;

    /// <summary>The board now; the expert reads it (it is also in the observations).</summary>
    internal TicTacToeBoard Board => _board;

    /// <summary>The generated task.</summary>
    internal TicTacToeGame Game => _game ?? throw new InvalidOperationException("Call ResetAsync before using the tictactoe environment.");

    /// <inheritdoc />
    public ValueTask<EnvironmentReset> ResetAsync(EnvironmentTask task, CancellationToken cancellationToken = default)
    {
        _game = TaskSplits.Generate(Name, task.Split, task.Seed, TicTacToeGame.Generate, g => g.Content);
        _board = TicTacToeBoard.Empty;
        _opponentRandom = TaskRandom.From((long)_game.OpponentSeed);
        _turns = 0;
        _done = false;
        _tools.ResetCounts();

        var opponent = _options.Opponent == TicTacToeOpponent.Minimax ? "a perfect (minimax)" : "a random";
        string statement;
        if (_game.AgentStarts)
        {
            statement = $"You are X and play against {opponent} opponent (O). You move first.\n{_board.Render()}";
        }
        else
        {
            var cell = OpponentMove();
            statement = $"You are X and play against {opponent} opponent (O). The opponent moved first and took {cell}.\n{_board.Render()}";
        }
        return ValueTask.FromResult(new EnvironmentReset([Observation.System(SystemPrompt), Observation.User(statement)], _tools.Definitions));
    }

    /// <inheritdoc />
    public ValueTask<EnvironmentStep> StepAsync(AgentAction action, CancellationToken cancellationToken = default)
    {
        if (_game is null || _done)
            throw new InvalidOperationException("The tictactoe episode is not running: call ResetAsync first.");
        _turns++;
        _movedThisTurn = false;

        var observations = _tools.Dispatch(action, _refusal, _noCallHint);

        var outOfTurns = !_board.IsOver && _turns >= _options.MaxTurns;
        _done = _board.IsOver || outOfTurns;
        if (!_done)
            return ValueTask.FromResult(new EnvironmentStep { Observations = observations });

        if (outOfTurns)
            observations.Add(new Observation { Source = ObservationSource.Environment, Content = "Out of turns: the game counts as lost." });
        var winner = outOfTurns ? Opponent : _board.Winner;
        var reward = winner == Agent ? 1.0 : winner is null ? 0.5 : 0.0;
        var metrics = new Dictionary<string, double>(_tools.Counts.ToMetrics())
        {
            ["win"] = winner == Agent ? 1 : 0,
            ["draw"] = winner is null ? 1 : 0,
            ["loss"] = winner == Opponent ? 1 : 0,
            ["turns"] = _turns,
        };
        return ValueTask.FromResult(new EnvironmentStep
        {
            Observations = observations,
            Reward = reward,
            Done = true,
            Success = winner != Opponent,
            Metrics = metrics,
        });
    }

    private ToolResult Move(JsonElement arguments)
    {
        var cell = ToolArguments.GetInt32(arguments, "cell");
        if (!_board.IsFree(cell - 1))
            return ToolResult.Error($"error: cell {cell} is taken. Free cells: {string.Join(", ", _board.FreeCells.Select(i => i + 1))}.");

        _movedThisTurn = true;
        _board = _board.With(cell - 1, Agent);
        var text = $"You took {cell}.";
        if (_board.Winner == Agent)
            return ToolResult.Ok($"{text} You win!\n{_board.Render()}");
        if (_board.IsFull)
            return ToolResult.Ok($"{text} Draw.\n{_board.Render()}");

        var reply = OpponentMove();
        text += $" Opponent took {reply}.";
        if (_board.Winner == Opponent)
            return ToolResult.Ok($"{text} Opponent wins.\n{_board.Render()}");
        if (_board.IsFull)
            return ToolResult.Ok($"{text} Draw.\n{_board.Render()}");
        return ToolResult.Ok($"{text} Your move.\n{_board.Render()}");
    }

    /// <summary>Plays the opponent's move on the board and returns its 1-based cell.</summary>
    private int OpponentMove()
    {
        var choices = _options.Opponent == TicTacToeOpponent.Minimax
            ? TicTacToeSolver.BestMoves(_board, Opponent)
            : _board.FreeCells.ToList();
        var index = _opponentRandom.Pick(choices);
        _board = _board.With(index, Opponent);
        return index + 1;
    }
}
