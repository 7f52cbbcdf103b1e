using System.Text.Json;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Environments.Maze;

/// <summary>
/// A partially observed maze. The agent knows its position and the goal's (row and column, 1-based) but sees only
/// the 3×3 squares around it. Tool: <c>move(direction)</c> with up, down, left or right; walking into a wall uses the
/// move and leaves the agent in place. Budget: 2 × the number of open squares, counting moves and turns without a
/// move (enough to explore the whole maze depth-first). Reaching the goal ends the episode with reward 1 (Success);
/// running out of budget ends it with reward 0.
/// </summary>
public sealed class MazeEnvironment : IEnvironment
{
    private const string SystemPrompt =
        "You are in a maze and must reach the goal. You see only the squares around you: # is a wall, . is open, " +
        "A is you and G is the goal. Rows count down from the top and columns from the left. Call move with up, down, " +
        "left or right. Remember where you have been and turn back from dead ends.";

    private readonly MazeOptions _options;
    private readonly ToolBox _tools;
    private readonly Func<Messages.ToolCall, string?> _refusal;
    private readonly Func<string> _noCallHint;
    private MazeLayout? _layout;
    private GridPoint _position;
    private int _used;
    private int _turns;
    private bool _reached;
    private bool _done;

    /// <summary>Creates an environment with <paramref name="options"/>.</summary>
    public MazeEnvironment(MazeOptions options)
    {
        if (options.Size < 2)
            throw new ArgumentException("A maze needs at least 2 cells per side.", nameof(options));
        _options = options;
        _refusal = _ => _reached ? "the goal is already reached" : _used >= Budget ? "no moves left" : null;
        _noCallHint = () => $"No tool call found. Call move with up, down, left or right. {Where()}";
        _tools = new ToolBox().Add(ToolDefinition.Create("move", "Move one square up, down, left or right.",
            """{"type":"object","properties":{"direction":{"type":"string","enum":["up","down","left","right"]}},"required":["direction"],"additionalProperties":false}"""),
            Move);
    }

    /// <inheritdoc />
    public string Name => MazeEnvironmentFactory.EnvironmentName;

    /// <summary>The options of this environment.</summary>
    internal MazeOptions Options => _options;

    /// <summary>The generated maze; hidden from the agent except through its local view.</summary>
    internal MazeLayout Layout => _layout ?? throw new InvalidOperationException("Call ResetAsync before using the maze environment.");

    /// <summary>Where the agent stands.</summary>
    internal GridPoint Position => _position;

    /// <summary>Moves plus idle turns allowed in an episode.</summary>
    internal int Budget => 2 * Layout.OpenSquares;

    /// <inheritdoc />
    public ValueTask<EnvironmentReset> ResetAsync(EnvironmentTask task, CancellationToken cancellationToken = default)
    {
        _layout = TaskSplits.Generate(Name, task.Split, task.Seed, r => MazeLayout.Generate(r, _options.Size), m => m.Content);
        _position = _layout.Start;
        _used = _turns = 0;
        _reached = _done = false;
        _tools.ResetCounts();
        var statement =
            $"The maze is {_layout.Side} by {_layout.Side} squares. You have {Budget} moves. " +
            $"The goal is at row {_layout.Goal.Row + 1}, column {_layout.Goal.Col + 1}. {Where()}";
        return ValueTask.FromResult(new EnvironmentReset([Observation.System(SystemPrompt), Observation.User(statement)], _tools.Definitions));
    }

    /// <inheritdoc />
    public ValueTask<EnvironmentStep> StepAsync(AgentAction action, CancellationToken cancellationToken = default)
    {
        if (_layout is null || _done)
            throw new InvalidOperationException("The maze episode is not running: call ResetAsync first.");
        _turns++;
        var usedBefore = _used;

        var observations = _tools.Dispatch(action, _refusal, _noCallHint);
        if (_used == usedBefore)
            _used++; // A turn without a move still spends budget, so every episode ends.

        _done = _reached || _used >= Budget;
        if (!_done)
            return ValueTask.FromResult(new EnvironmentStep { Observations = observations });

        if (!_reached)
            observations.Add(new Observation { Source = ObservationSource.Environment, Content = "Out of moves: the goal was not reached." });
        var toGoal = _layout.Distances(_layout.Goal); // moves are reversible, so one search serves start and end square
        var shortest = toGoal[_layout.Start];
        var progress = _reached ? 1 : Math.Max(0, shortest - toGoal[Position]) / (double)shortest;
        var metrics = new Dictionary<string, double>(_tools.Counts.ToMetrics())
        {
            ["moves"] = _used,
            ["progress"] = progress,
            ["shortest_path"] = shortest,
            ["path_efficiency"] = _reached ? (double)shortest / _used : 0,
            ["turns"] = _turns,
        };
        return ValueTask.FromResult(new EnvironmentStep
        {
            Observations = observations,
            Reward = _reached ? 1 : _options.ProgressReward ? 0.5 * progress : 0,
            Done = true,
            Success = _reached,
            Metrics = metrics,
        });
    }

    private ToolResult Move(JsonElement arguments)
    {
        var name = arguments.GetProperty("direction").GetString()!;
        var direction = Enum.Parse<MazeDirection>(name, ignoreCase: true);
        _used++;
        var target = _position.Step(direction);
        if (!Layout.IsOpen(target))
            return ToolResult.Ok($"Blocked: there is a wall {name}. {Where()}");
        _position = target;
        if (_position == Layout.Goal)
        {
            _reached = true;
            return ToolResult.Ok($"You moved {name} and reached the goal!");
        }
        return ToolResult.Ok($"You moved {name}. {Where()}");
    }

    private string Where() =>
        $"You are at row {_position.Row + 1}, column {_position.Col + 1}. Moves left: {Budget - _used}.\n{Layout.View(_position)}";
}
