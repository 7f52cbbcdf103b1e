using System.Text.Json;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Environments.Calc;

/// <summary>
/// Multi-step arithmetic word problems. Tools: <c>calculator(expression)</c> and <c>answer(value)</c>. The episode ends
/// at the first answer (reward 1 when it equals the correct integer exactly, else 0) or when the turn budget runs out
/// (reward 0). A turn without a tool call gets a reminder and uses up a turn.
/// </summary>
public sealed class CalcEnvironment : IEnvironment
{
    internal const string SystemPrompt =
        "You solve arithmetic word problems. Work one step at a time: call calculator with one operation, read the " +
        "result, then continue. When you know the final number, call answer with it. You get one answer.";

    private const string NoCallHint =
        "No tool call found. Call calculator with an expression to compute, then answer with the final number.";

    private readonly CalcOptions _options;
    private readonly Func<Messages.ToolCall, string?> _refusal;
    private readonly ToolBox _tools;
    private CalcProblem? _problem;
    private int _turns;
    private bool _done;
    private bool _answered;
    private double _reward;

    /// <summary>Creates an environment with <paramref name="options"/>.</summary>
    public CalcEnvironment(CalcOptions options)
    {
        _options = options;
        _refusal = _ => _answered ? "the episode is over: an answer was already given" : null;
        _tools = new ToolBox()
            .Add(ToolDefinition.Create("calculator", "Evaluate an arithmetic expression with + - * / % ^ and parentheses.",
                """{"type":"object","properties":{"expression":{"type":"string","description":"e.g. 12*3+4","minLength":1,"maxLength":200}},"required":["expression"],"additionalProperties":false}"""),
                Calculate)
            .Add(ToolDefinition.Create("answer", "Submit the final answer. Ends the episode.",
                """{"type":"object","properties":{"value":{"type":"number","description":"the final number"}},"required":["value"],"additionalProperties":false}"""),
                Answer);
    }

    /// <inheritdoc />
    public string Name => CalcEnvironmentFactory.EnvironmentName;

    /// <summary>The current problem with its worked solution; hidden from the agent, read by the expert.</summary>
    internal CalcProblem Problem => _problem ?? throw new InvalidOperationException("Call ResetAsync before using the calc environment.");

    /// <inheritdoc />
    public ValueTask<EnvironmentReset> ResetAsync(EnvironmentTask task, CancellationToken cancellationToken = default)
    {
        _problem = TaskSplits.Generate(Name, task.Split, task.Seed,
            random => CalcProblemGenerator.Generate(random, _options.Difficulty), p => p.Text);
        _turns = 0;
        _done = false;
        _answered = false;
        _reward = 0;
        _tools.ResetCounts();
        return ValueTask.FromResult(new EnvironmentReset(
            [Observation.System(SystemPrompt), Observation.User(_problem.Text)], _tools.Definitions));
    }

    /// <inheritdoc />
    public ValueTask<EnvironmentStep> StepAsync(AgentAction action, CancellationToken cancellationToken = default)
    {
        if (_problem is null || _done)
            throw new InvalidOperationException("The calc episode is not running: call ResetAsync first.");
        _turns++;

        var observations = _tools.Dispatch(action, _refusal, static () => NoCallHint);

        _done = _answered || _turns >= _options.MaxTurns;
        if (!_done)
            return ValueTask.FromResult(new EnvironmentStep { Observations = observations });

        if (!_answered)
            observations.Add(new Observation { Source = ObservationSource.Environment, Content = "Out of turns: no answer was given." });
        var metrics = new Dictionary<string, double>(_tools.Counts.ToMetrics()) { ["turns"] = _turns };
        return ValueTask.FromResult(new EnvironmentStep
        {
            Observations = observations,
            Reward = _reward,
            Done = true,
            Success = _reward == 1,
            Metrics = metrics,
        });
    }

    private ToolResult Calculate(JsonElement arguments)
    {
        var expression = arguments.GetProperty("expression").GetString()!;
        return Calculator.TryEvaluate(expression, out var value, out var error)
            ? ToolResult.Ok(Calculator.Format(value))
            : ToolResult.Error($"error: {error}");
    }

    private ToolResult Answer(JsonElement arguments)
    {
        var element = arguments.GetProperty("value");
        var value = element.GetDouble();
        _answered = true;
        var correct = value == Problem.Answer;
        _reward = correct ? 1 : 0;
        var shown = element.GetRawText();
        return ToolResult.Ok(correct ? $"{shown} is correct." : $"{shown} is wrong.");
    }
}
