using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Environments.ToolApi;

/// <summary>
/// Everyday requests that need the right tool with the right arguments, out of 24 tools with JSON schemas
/// (weather, currency, units, calendar, mail, flights, hotels, stocks, …), in the style of MCP-Bench. The agent
/// calls tools, then replies in plain text; that reply ends the episode. Success (reward 1) needs every expected
/// call made with the expected arguments and the reply to state the facts the tools returned.
/// Metrics: <c>tool_selection</c> (expected tools called) and <c>argument_accuracy</c> (expected calls matched).
/// </summary>
public sealed class ToolApiEnvironment : IEnvironment
{
    internal const string SystemPrompt =
        "You are an assistant with tools. Use the tools to do what the user asks, with exactly the arguments the " +
        "request gives. When you are done, reply to the user in plain text (no tool call) and include the results.";

    private readonly ToolApiOptions _options;
    private readonly ToolBox _catalog = ToolApiCatalog.Create();
    private ToolBox _tools;
    private readonly List<ToolCall> _validCalls = [];
    private ToolApiTask? _task;
    private int _turns;
    private bool _done;

    /// <summary>Creates an environment with <paramref name="options"/>.</summary>
    public ToolApiEnvironment(ToolApiOptions options)
    {
        _options = options;
        _tools = _catalog;
    }

    /// <inheritdoc />
    public string Name => ToolApiEnvironmentFactory.EnvironmentName;

    /// <summary>The number of tools on offer (all of the catalog until a reset with <see cref="ToolApiOptions.ToolsOffered"/> set).</summary>
    public int ToolCount => _tools.Definitions.Count;

    /// <summary>The current task; hidden from the agent, read by the expert.</summary>
    internal ToolApiTask Task => _task ?? throw new InvalidOperationException("Call ResetAsync before using the tool-api environment.");

    /// <inheritdoc />
    public ValueTask<EnvironmentReset> ResetAsync(EnvironmentTask task, CancellationToken cancellationToken = default)
    {
        _task = TaskSplits.Generate(Name, task.Split, task.Seed, ToolApiTaskGenerator.Generate, t => t.Content);
        _validCalls.Clear();
        _turns = 0;
        _done = false;
        _tools = _options.ToolsOffered > 0 ? _catalog.Only(OfferedTools(_task, task)) : _catalog;
        _tools.ResetCounts();
        return ValueTask.FromResult(new EnvironmentReset(
            [Observation.System(SystemPrompt), Observation.User(_task.Request)], _tools.Definitions));
    }

    /// <summary>The task's own tools plus distractors drawn from the task's seed, <see cref="ToolApiOptions.ToolsOffered"/> in all.</summary>
    private HashSet<string> OfferedTools(ToolApiTask generated, EnvironmentTask task)
    {
        var offered = generated.ExpectedCalls.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var others = _catalog.Definitions.Select(d => d.Name).Where(n => !offered.Contains(n)).ToList();
        var random = TaskRandom.From(task.Seed, (long)task.Split, 0x700150FFE);
        while (offered.Count < _options.ToolsOffered && others.Count > 0)
        {
            int i = random.Next(0, others.Count);
            offered.Add(others[i]);
            others.RemoveAt(i);
        }
        return offered;
    }

    /// <inheritdoc />
    public ValueTask<EnvironmentStep> StepAsync(AgentAction action, CancellationToken cancellationToken = default)
    {
        if (_task is null || _done)
            throw new InvalidOperationException("The tool-api episode is not running: call ResetAsync first.");
        _turns++;
        var observations = new List<Observation>();
        foreach (var call in action.ToolCalls)
        {
            var observation = _tools.Invoke(call);
            if (!observation.IsError)
                _validCalls.Add(call);
            observations.Add(observation);
        }
        foreach (var malformed in action.MalformedToolCalls)
            observations.Add(_tools.Reject(malformed));

        bool noCalls = action.ToolCalls.Count == 0 && action.MalformedToolCalls.Count == 0;
        bool replied = noCalls && !string.IsNullOrWhiteSpace(action.Content);
        if (noCalls && !replied)
            observations.Add(new Observation
            {
                Source = ObservationSource.Environment,
                Content = "No tool call found and no reply. Call a tool, or reply to the user in plain text when you are done.",
            });
        _done = replied || _turns >= _options.MaxTurns;
        if (!_done)
            return ValueTask.FromResult(new EnvironmentStep { Observations = observations });
        if (!replied)
            observations.Add(new Observation { Source = ObservationSource.Environment, Content = "Out of turns: no reply was given." });

        var expected = _task.ExpectedCalls;
        double selection = expected.Count(e => _validCalls.Any(c => c.Name == e.Name)) / (double)expected.Count;
        double arguments = expected.Count(e => _validCalls.Any(c => ExpectedCallMatcher.Matches(e, c))) / (double)expected.Count;
        var reply = replied ? action.Content ?? "" : "";
        bool stated = _task.AnswerKeys.All(k => reply.Contains(k, StringComparison.OrdinalIgnoreCase));
        bool success = arguments == 1 && stated;
        var metrics = new Dictionary<string, double>(_tools.Counts.ToMetrics())
        {
            ["turns"] = _turns,
            ["tool_selection"] = selection,
            ["argument_accuracy"] = arguments,
            ["answer_stated"] = stated ? 1 : 0,
        };
        return ValueTask.FromResult(new EnvironmentStep
        {
            Observations = observations,
            Reward = success ? 1 : 0,
            Done = true,
            Success = success,
            Metrics = metrics,
        });
    }
}
