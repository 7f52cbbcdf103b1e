using System.Text.Json;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Rollouts;

/// <summary>
/// A hand-written fake environment: guess a hidden digit (the task seed mod 10) with the <c>guess</c> tool. Wrong
/// guesses get "higher"/"lower"; bad arguments get an error observation; text turns get environment feedback.
/// </summary>
internal sealed class GuessEnvironment : IEnvironment
{
    public static readonly ToolDefinition GuessTool = new(
        "guess", "Guess the hidden digit.",
        JsonDocument.Parse("""{"type":"object","properties":{"n":{"type":"integer","minimum":0,"maximum":9}},"required":["n"]}""").RootElement);

    public Func<AgentAction, EnvironmentStep?>? StepOverride { get; init; }

    public string Name => "guess";

    public int Target { get; private set; } = -1;

    public int Guesses { get; private set; }

    public ValueTask<EnvironmentReset> ResetAsync(EnvironmentTask task, CancellationToken cancellationToken = default)
    {
        Target = task.Seed % 10;
        Guesses = 0;
        return ValueTask.FromResult(new EnvironmentReset(
            [Observation.System("Guess the hidden digit 0-9 with the guess tool."), Observation.User($"Task {task.Id}: go.")],
            [GuessTool]));
    }

    public ValueTask<EnvironmentStep> StepAsync(AgentAction action, CancellationToken cancellationToken = default)
    {
        if (StepOverride?.Invoke(action) is { } overridden)
            return ValueTask.FromResult(overridden);
        if (action.ToolCalls.Count == 0 && action.MalformedToolCalls.Count == 0)
            return ValueTask.FromResult(new EnvironmentStep { Observations = [new Observation { Source = ObservationSource.Environment, Content = "Call the guess tool." }] });

        var observations = new List<Observation>();
        foreach (var malformed in action.MalformedToolCalls)
            observations.Add(new Observation { Source = ObservationSource.Environment, Content = malformed.Error, IsError = true });
        foreach (var call in action.ToolCalls)
        {
            int n;
            try
            {
                using var args = JsonDocument.Parse(call.ArgumentsJson);
                if (call.Name != "guess" || !args.RootElement.TryGetProperty("n", out var value) || !value.TryGetInt32(out n))
                {
                    observations.Add(Observation.Tool(call.Id, call.Name, "error: expected guess with an integer n", isError: true));
                    continue;
                }
            }
            catch (JsonException)
            {
                observations.Add(Observation.Tool(call.Id, call.Name, "error: arguments are not JSON", isError: true));
                continue;
            }
            Guesses++;
            if (n == Target)
            {
                observations.Add(Observation.Tool(call.Id, call.Name, "correct"));
                return ValueTask.FromResult(new EnvironmentStep
                {
                    Observations = observations, Reward = 1, Done = true, Success = true,
                    Metrics = new Dictionary<string, double> { ["guesses"] = Guesses },
                });
            }
            observations.Add(Observation.Tool(call.Id, call.Name, n < Target ? "higher" : "lower"));
        }
        return ValueTask.FromResult(new EnvironmentStep { Observations = observations });
    }
}

/// <summary>Factory for <see cref="GuessEnvironment"/>; its expert reads the instance's hidden target.</summary>
internal sealed class GuessFactory : IEnvironmentFactory
{
    private int _created;

    public Func<GuessEnvironment>? Create_ { get; init; }

    public int Created => _created;

    public string Name => "guess";

    public string Description => "Guess a hidden digit (test fake).";

    public IReadOnlyList<EnvironmentTask> Tasks(DataSplit split, int count, int offset = 0) =>
        Enumerable.Range(offset, count)
            .Select(i => new EnvironmentTask($"guess/{split.ToString().ToLowerInvariant()}/{i}", split, split == DataSplit.Train ? i : 1_000_000 + i))
            .ToList();

    public IEnvironment Create()
    {
        Interlocked.Increment(ref _created);
        return Create_?.Invoke() ?? new GuessEnvironment();
    }

    public IPolicy CreateExpert(IEnvironment environment) => new GuessExpert((GuessEnvironment)environment);
}

/// <summary>The scripted expert: guesses the instance's hidden target at once.</summary>
internal sealed class GuessExpert(GuessEnvironment environment) : IPolicy
{
    public Task<PolicyResponse> RespondAsync(IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new PolicyResponse
        {
            Action = AgentAction.Call(new ToolCall($"call_{messages.Count}", "guess", $$"""{"n":{{environment.Target}}}""")),
        });
}

/// <summary>A policy defined by a delegate, for tests that need one odd behaviour.</summary>
internal sealed class DelegatePolicy(Func<IReadOnlyList<ChatMessage>, PolicyOptions?, CancellationToken, Task<PolicyResponse>> respond) : IPolicy
{
    public Task<PolicyResponse> RespondAsync(IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null, CancellationToken cancellationToken = default) =>
        respond(messages, options, cancellationToken);

    public static PolicyResponse Guess(int n, string id = "c") =>
        new() { Action = AgentAction.Call(new ToolCall(id, "guess", $$"""{"n":{{n}}}""")) };
}
