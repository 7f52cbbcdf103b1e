using System.Text.Json;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Environments.Bandit;

/// <summary>
/// A K-armed Bernoulli bandit over N pulls. Tool: <c>pull(arm)</c> with arms numbered 1..K; each pull pays 0 or 1 and
/// the step's reward is what its pulls paid, so the episode reward is the total payoff. Several pulls per turn are
/// allowed. The episode ends after N pulls, or after N + spare turns. Metrics at the end: <c>regret</c> (pseudo-regret:
/// N × best mean − the sum of the means of the arms pulled; pulls never made count as paying 0),
/// <c>arms_tried_fraction</c>, <c>payoff</c>. Success: regret at most half of what uniformly random pulling would
/// expect on this task, i.e. regret ≤ 0.5 × N × (best mean − average mean).
/// </summary>
public sealed class BanditEnvironment : IEnvironment
{
    private readonly BanditOptions _options;
    private readonly ToolBox _tools;
    private readonly Func<Messages.ToolCall, string?> _refusal;
    private readonly Func<string> _noCallHint;
    private BanditInstance? _instance;
    private int[] _pullCounts = [];
    private int[] _payoffSums = [];
    private int _pulls;
    private int _turns;
    private double _stepPayoff;
    private double _meanSum;
    private bool _done;

    /// <summary>Creates an environment with <paramref name="options"/>.</summary>
    public BanditEnvironment(BanditOptions options)
    {
        if (options.Arms < 2 || options.Pulls < 1)
            throw new ArgumentException("A bandit needs at least 2 arms and 1 pull.", nameof(options));
        _options = options;
        _refusal = _ => _pulls >= _options.Pulls ? "no pulls left" : null;
        _noCallHint = () => $"No tool call found. Call pull with an arm number from 1 to {_options.Arms}. " +
                            $"{_options.Pulls - _pulls} pulls left.";
        _tools = new ToolBox().Add(ToolDefinition.Create("pull", $"Pull one arm (1 to {options.Arms}); it pays 1 or 0.",
            """{"type":"object","properties":{"arm":{"type":"integer","minimum":1,"maximum":""" + options.Arms +
            """}},"required":["arm"],"additionalProperties":false}"""),
            Pull);
    }

    /// <inheritdoc />
    public string Name => BanditEnvironmentFactory.EnvironmentName;

    /// <summary>The options of this environment.</summary>
    public BanditOptions Options => _options;

    /// <summary>How often each arm (index 0 = arm 1) has been pulled this episode: what the agent has observed.</summary>
    public IReadOnlyList<int> PullCounts => _pullCounts;

    /// <summary>Total payoff from each arm so far: what the agent has observed.</summary>
    public IReadOnlyList<int> PayoffSums => _payoffSums;

    /// <summary>Pulls made so far.</summary>
    public int PullsMade => _pulls;

    /// <summary>The arms' true means; hidden from the agent.</summary>
    internal IReadOnlyList<double> Means => Instance.Means;

    /// <summary>The generated task; hidden from the agent.</summary>
    internal BanditInstance Instance => _instance ?? throw NotStarted();

    /// <inheritdoc />
    public ValueTask<EnvironmentReset> ResetAsync(EnvironmentTask task, CancellationToken cancellationToken = default)
    {
        _instance = TaskSplits.Generate(Name, task.Split, task.Seed, r => BanditInstance.Generate(r, _options), b => b.Content);
        _pullCounts = new int[_options.Arms];
        _payoffSums = new int[_options.Arms];
        _pulls = _turns = 0;
        _meanSum = 0;
        _done = false;
        _tools.ResetCounts();
        var statement =
            $"There are {_options.Arms} arms, numbered 1 to {_options.Arms}. Each arm pays 1 with its own fixed, unknown " +
            $"probability, and 0 otherwise. You have {_options.Pulls} pulls. Call pull with an arm number to pull it, " +
            "one pull at a time, and get as much total payoff as you can.";
        return ValueTask.FromResult(new EnvironmentReset(
            [Observation.System(SystemPrompt), Observation.User(statement)], _tools.Definitions));
    }

    private const string SystemPrompt =
        "You play a multi-armed bandit. Try the arms, keep track of how often each one paid, and pull the best-looking " +
        "arm more often as you learn. Use the pull tool for every pull.";

    /// <inheritdoc />
    public ValueTask<EnvironmentStep> StepAsync(AgentAction action, CancellationToken cancellationToken = default)
    {
        if (_instance is null || _done)
            throw new InvalidOperationException("The bandit episode is not running: call ResetAsync first.");
        _turns++;
        _stepPayoff = 0;

        var observations = _tools.Dispatch(action, _refusal, _noCallHint);

        _done = _pulls >= _options.Pulls || _turns >= _options.Pulls + _options.SpareTurns;
        if (!_done)
            return ValueTask.FromResult(new EnvironmentStep { Observations = observations, Reward = _stepPayoff });

        var payoff = _payoffSums.Sum();
        observations.Add(new Observation
        {
            Source = ObservationSource.Environment,
            Content = _pulls >= _options.Pulls
                ? $"All {_options.Pulls} pulls used. Total payoff {payoff}."
                : $"Out of turns after {_pulls} of {_options.Pulls} pulls. Total payoff {payoff}.",
        });
        var regret = _options.Pulls * _instance.BestMean - _meanSum;
        var randomRegret = _options.Pulls * (_instance.BestMean - _instance.Means.Average());
        var metrics = new Dictionary<string, double>(_tools.Counts.ToMetrics())
        {
            ["regret"] = regret,
            ["random_regret"] = randomRegret,
            ["arms_tried_fraction"] = (double)_pullCounts.Count(c => c > 0) / _options.Arms,
            ["payoff"] = payoff,
            ["pulls"] = _pulls,
            ["most_pulled_near_best"] = MostPulledNearBest() ? 1 : 0,
            ["turns"] = _turns,
        };
        return ValueTask.FromResult(new EnvironmentStep
        {
            Observations = observations,
            Reward = _stepPayoff,
            Done = true,
            Success = regret <= 0.5 * randomRegret + 1e-9,
            Metrics = metrics,
        });
    }

    private ToolResult Pull(JsonElement arguments)
    {
        var arm = ToolArguments.GetInt32(arguments, "arm") - 1;
        var paid = _instance!.Outcomes[arm][_pullCounts[arm]];
        _pullCounts[arm]++;
        _pulls++;
        _meanSum += _instance.Means[arm];
        if (paid)
        {
            _payoffSums[arm]++;
            _stepPayoff++;
        }
        return ToolResult.Ok($"arm {arm + 1} paid {(paid ? 1 : 0)}. Total {_payoffSums.Sum()} after {_pulls} of {_options.Pulls} pulls.");
    }

    /// <summary>Whether the arm pulled most often (ties: any of them) has a mean within 0.1 of the best.</summary>
    private bool MostPulledNearBest()
    {
        var most = _pullCounts.Max();
        if (most == 0)
            return false;
        return Enumerable.Range(0, _options.Arms).Any(a => _pullCounts[a] == most && _instance!.Means[a] >= _instance.BestMean - 0.1);
    }

    private static InvalidOperationException NotStarted() => new("Call ResetAsync before using the bandit environment.");
}
