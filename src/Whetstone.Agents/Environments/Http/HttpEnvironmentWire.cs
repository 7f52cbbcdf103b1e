using System.Text.Json;
using System.Text.Json.Serialization;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Environments.Http;

// The JSON shapes of the HTTP environment protocol (docs/http-environment.md). They are kept apart from the
// contract records so that the wire format can stay stable while the records evolve.

internal sealed record WireTask(string Id, string Split, int Seed);

internal sealed record WireResetRequest(WireTask Task);

internal sealed record WireObservation(
    string Source,
    string Content,
    string? ToolCallId = null,
    string? Name = null,
    bool IsError = false,
    bool IsJson = false);

internal sealed record WireTool(string Name, string? Description, JsonElement? Parameters);

internal sealed record WireResetResponse(string? SessionId, List<WireObservation>? Observations, List<WireTool>? Tools);

internal sealed record WireToolCall(string Id, string Name, string Arguments);

internal sealed record WireMalformedToolCall(string RawText, string Error);

internal sealed record WireAction(
    string? Content,
    string? Reasoning,
    List<WireToolCall> ToolCalls,
    List<WireMalformedToolCall> MalformedToolCalls);

internal sealed record WireStepRequest(string SessionId, WireAction Action);

internal sealed record WireStepResponse(
    List<WireObservation>? Observations,
    double? Reward,
    bool? Done,
    bool? Success,
    Dictionary<string, double>? Metrics);

internal sealed record WireSessionRequest(string SessionId);

internal sealed record WireTasksResponse(List<WireTask>? Tasks);

internal sealed record WireInfoResponse(string? Name, string? Description);

/// <summary>Maps between the protocol's JSON shapes and the contract records, validating as it goes.</summary>
internal static class HttpEnvironmentWire
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    internal static WireTask ToWire(EnvironmentTask task) =>
        new(task.Id, task.Split == DataSplit.Train ? "train" : "test", task.Seed);

    // The schema of a tool the server declared without parameters; parsed once (an undisposed JsonDocument per tool
    // would hold pooled buffers).
    private static readonly JsonElement NoParameters = ParseOnce("""{"type":"object","properties":{}}""");

    private static JsonElement ParseOnce(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    internal static EnvironmentTask FromWire(WireTask task, string where) =>
        new(
            task.Id ?? throw Invalid(where, "id", "is missing"),
            task.Split switch
            {
                "train" => DataSplit.Train,
                "test" => DataSplit.Test,
                _ => throw Invalid(where, "split", $"must be \"train\" or \"test\", got \"{task.Split}\""),
            },
            task.Seed);

    internal static WireAction ToWire(AgentAction action) => new(
        action.Content,
        action.Reasoning,
        action.ToolCalls.Select(c => new WireToolCall(c.Id, c.Name, c.ArgumentsJson)).ToList(),
        action.MalformedToolCalls.Select(m => new WireMalformedToolCall(m.RawText, m.Error)).ToList());

    internal static Observation FromWire(WireObservation o, string where)
    {
        var source = o.Source switch
        {
            "system" => ObservationSource.System,
            "user" => ObservationSource.User,
            "tool" => ObservationSource.Tool,
            "environment" => ObservationSource.Environment,
            _ => throw Invalid(where, "source", $"must be one of system, user, tool, environment; got \"{o.Source}\""),
        };
        if (o.Content is null)
            throw Invalid(where, "content", "is missing");
        return new Observation
        {
            Source = source,
            Content = o.Content,
            ToolCallId = o.ToolCallId,
            Name = o.Name,
            IsError = o.IsError,
            IsJson = o.IsJson,
        };
    }

    internal static ToolDefinition FromWire(WireTool t, string where)
    {
        if (string.IsNullOrEmpty(t.Name))
            throw Invalid(where, "name", "is missing");
        return new ToolDefinition(t.Name, t.Description ?? "", t.Parameters?.Clone() ?? NoParameters);
    }

    internal static IReadOnlyList<Observation> FromWire(List<WireObservation>? list, string where) =>
        (list ?? []).Select((o, i) => FromWire(o, $"{where}.observations[{i}]")).ToList();

    internal static InvalidDataException Invalid(string where, string field, string problem) =>
        new($"HTTP environment: {where}: field \"{field}\" {problem}.");
}
