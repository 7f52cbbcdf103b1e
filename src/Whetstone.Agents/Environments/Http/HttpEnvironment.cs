using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Environments.Http;

/// <summary>
/// An environment served over HTTP by a program in any language (protocol: docs/http-environment.md).
/// <c>POST /reset</c> starts a session and <c>POST /step</c> applies an action to it.
/// </summary>
public sealed class HttpEnvironment : IEnvironment
{
    private readonly HttpEnvironmentClient _client;

    internal HttpEnvironment(HttpEnvironmentClient client, string name)
    {
        _client = client;
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The server's id of the running episode, or null before the first reset.</summary>
    public string? SessionId { get; private set; }

    /// <inheritdoc />
    public async ValueTask<EnvironmentReset> ResetAsync(EnvironmentTask task, CancellationToken cancellationToken = default)
    {
        var response = await _client.PostAsync<WireResetRequest, WireResetResponse>(
            "reset", new WireResetRequest(HttpEnvironmentWire.ToWire(task)), cancellationToken).ConfigureAwait(false);
        SessionId = string.IsNullOrEmpty(response.SessionId)
            ? throw HttpEnvironmentWire.Invalid("/reset", "session_id", "is missing")
            : response.SessionId;
        var tools = (response.Tools ?? []).Select((t, i) => HttpEnvironmentWire.FromWire(t, $"/reset.tools[{i}]")).ToList();
        return new EnvironmentReset(HttpEnvironmentWire.FromWire(response.Observations, "/reset"), tools);
    }

    /// <inheritdoc />
    public async ValueTask<EnvironmentStep> StepAsync(AgentAction action, CancellationToken cancellationToken = default)
    {
        var session = SessionId ?? throw new InvalidOperationException("HTTP environment: StepAsync called before ResetAsync.");
        var response = await _client.PostAsync<WireStepRequest, WireStepResponse>(
            "step", new WireStepRequest(session, HttpEnvironmentWire.ToWire(action)), cancellationToken).ConfigureAwait(false);
        return new EnvironmentStep
        {
            Observations = HttpEnvironmentWire.FromWire(response.Observations, "/step"),
            Reward = response.Reward ?? 0,
            Done = response.Done ?? throw HttpEnvironmentWire.Invalid("/step", "done", "is missing"),
            Success = response.Success,
            Metrics = response.Metrics ?? new Dictionary<string, double>(),
        };
    }

    /// <summary>Asks the server for its expert's next action, or null when the server has no expert.</summary>
    internal async Task<AgentAction?> ExpertActionAsync(CancellationToken cancellationToken)
    {
        var session = SessionId ?? throw new InvalidOperationException("HTTP environment: expert asked before ResetAsync.");
        var wire = await _client.PostOptionalAsync<WireSessionRequest, WireAction>(
            "expert", new WireSessionRequest(session), cancellationToken).ConfigureAwait(false);
        if (wire is null)
            return null;
        return new AgentAction
        {
            Content = wire.Content,
            Reasoning = wire.Reasoning,
            ToolCalls = (wire.ToolCalls ?? []).Select(c => new Messages.ToolCall(c.Id, c.Name, c.Arguments)).ToList(),
        };
    }
}
