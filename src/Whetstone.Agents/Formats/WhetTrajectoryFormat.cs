using System.Text.Json.Nodes;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;
using static Whetstone.Agents.Formats.JsonFields;

namespace Whetstone.Agents.Formats;

/// <summary>
/// Whetstone's native trajectory record: every field of <see cref="Trajectory"/>, snake_case, fields with default
/// values left out. Steps carry <c>"kind": "action"</c> or <c>"kind": "observation"</c>.
/// </summary>
/// <example><code>
/// {"id":"calc-0","task_id":"calc/test/0","environment":"calc","tools":[…],
///  "steps":[{"kind":"observation","source":"user","content":"2+2?"},
///           {"kind":"action","tool_calls":[{"id":"c0","name":"calc","arguments":"{\"e\":\"2+2\"}"}],"token_ids":[…],"logprobs":[…]},
///           {"kind":"observation","source":"tool","content":"4","tool_call_id":"c0","name":"calc","reward":0.0}],
///  "reward":1.0,"success":true,"status":"completed","metrics":{},"metadata":{}}
/// </code></example>
public sealed class WhetTrajectoryFormat : ITrajectoryFormat
{
    /// <summary>The shared instance.</summary>
    public static WhetTrajectoryFormat Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "whet";

    /// <inheritdoc />
    public JsonObject Write(Trajectory trajectory)
    {
        var o = new JsonObject { ["id"] = trajectory.Id };
        if (trajectory.TaskId is not null) o["task_id"] = trajectory.TaskId;
        if (trajectory.Environment is not null) o["environment"] = trajectory.Environment;
        if (trajectory.Tools.Count > 0) o["tools"] = new JsonArray(trajectory.Tools.Select(WriteTool).ToArray());
        o["steps"] = new JsonArray(trajectory.Steps.Select(WriteStep).ToArray());
        if (trajectory.Reward is { } r) o["reward"] = Number(r);
        if (trajectory.Success is { } s) o["success"] = s;
        o["status"] = StatusName(trajectory.Status);
        if (trajectory.StatusDetail is not null) o["status_detail"] = trajectory.StatusDetail;
        if (trajectory.Metrics.Count > 0)
        {
            var m = new JsonObject();
            foreach (var (k, v) in trajectory.Metrics) m[k] = Number(v);
            o["metrics"] = m;
        }
        if (trajectory.Metadata.Count > 0) o["metadata"] = trajectory.Metadata.DeepClone();
        return o;
    }

    /// <inheritdoc />
    public Trajectory Read(JsonObject record, string defaultId)
    {
        var tools = OptionalArray(record, "", "tools");
        var steps = RequiredArray(record, "", "steps");
        var metrics = new Dictionary<string, double>();
        if (OptionalObject(record, "", "metrics") is { } m)
            foreach (var (k, v) in m) metrics[k] = ToDouble(v, Join("metrics", k));
        return new Trajectory
        {
            Id = OptionalString(record, "", "id") ?? defaultId,
            TaskId = OptionalString(record, "", "task_id"),
            Environment = OptionalString(record, "", "environment"),
            Tools = tools is null ? [] : tools.Select((t, i) => ReadTool(AsObject(t, Index("tools", i)), Index("tools", i))).ToArray(),
            Steps = steps.Select((s, i) => ReadStep(AsObject(s, Index("steps", i)), Index("steps", i))).ToArray(),
            Reward = OptionalDouble(record, "", "reward"),
            Success = OptionalBool(record, "", "success"),
            Status = ParseStatus(OptionalString(record, "", "status"), "status"),
            StatusDetail = OptionalString(record, "", "status_detail"),
            Metrics = metrics,
            Metadata = (JsonObject?)OptionalObject(record, "", "metadata")?.DeepClone() ?? new JsonObject(),
        };
    }

    /// <summary>A tool as <c>{"name","description","parameters"}</c>.</summary>
    internal static JsonObject WriteTool(ToolDefinition tool) => new()
    {
        ["name"] = tool.Name,
        ["description"] = tool.Description,
        ["parameters"] = ToNode(tool.Parameters),
    };

    /// <summary>Reads <c>{"name","description","parameters"}</c>; a missing description reads as empty.</summary>
    internal static ToolDefinition ReadTool(JsonObject o, string path) => new(
        RequiredString(o, path, "name"),
        OptionalString(o, path, "description") ?? "",
        ToElement(o["parameters"] ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() }));

    private static JsonObject WriteStep(TrajectoryStep step)
    {
        JsonObject o;
        switch (step)
        {
            case ActionStep a:
                o = new JsonObject { ["kind"] = "action" };
                var act = a.Action;
                if (act.Content is not null) o["content"] = act.Content;
                if (act.Reasoning is not null) o["reasoning"] = act.Reasoning;
                if (act.ToolCalls.Count > 0)
                    o["tool_calls"] = new JsonArray(act.ToolCalls.Select(c => (JsonNode)new JsonObject
                    {
                        ["id"] = c.Id, ["name"] = c.Name, ["arguments"] = c.ArgumentsJson,
                    }).ToArray());
                if (act.MalformedToolCalls.Count > 0)
                    o["malformed_tool_calls"] = new JsonArray(act.MalformedToolCalls.Select(c => (JsonNode)new JsonObject
                    {
                        ["raw_text"] = c.RawText, ["error"] = c.Error,
                    }).ToArray());
                if (act.Code is { } code) o["code"] = new JsonObject { ["language"] = code.Language, ["source"] = code.Source };
                if (a.TokenIds is { } ids) o["token_ids"] = new JsonArray(ids.Select(i => (JsonNode)JsonValue.Create(i)).ToArray());
                if (a.LogProbs is { } lps) o["logprobs"] = new JsonArray(lps.Select(p => Number(p)).ToArray());
                if (a.Weight is { } w) o["weight"] = w;
                break;
            case ObservationStep s:
                var ob = s.Observation;
                o = new JsonObject { ["kind"] = "observation", ["source"] = SourceName(ob.Source), ["content"] = ob.Content };
                if (ob.IsJson) o["is_json"] = true;
                if (ob.ToolCallId is not null) o["tool_call_id"] = ob.ToolCallId;
                if (ob.Name is not null) o["name"] = ob.Name;
                if (ob.IsError) o["is_error"] = true;
                break;
            default:
                throw new InvalidOperationException($"Unknown trajectory step type {step.GetType().Name}.");
        }
        if (step.Reward is { } r) o["reward"] = Number(r);
        if (step.Metadata is { } meta) o["metadata"] = meta.DeepClone();
        return o;
    }

    private static TrajectoryStep ReadStep(JsonObject o, string path)
    {
        var kind = RequiredString(o, path, "kind");
        var reward = OptionalDouble(o, path, "reward");
        var metadata = (JsonObject?)OptionalObject(o, path, "metadata")?.DeepClone();
        switch (kind)
        {
            case "action":
                var calls = OptionalArray(o, path, "tool_calls");
                var malformed = OptionalArray(o, path, "malformed_tool_calls");
                var code = OptionalObject(o, path, "code");
                var ids = OptionalArray(o, path, "token_ids");
                var lps = OptionalArray(o, path, "logprobs");
                var action = new AgentAction
                {
                    Content = OptionalString(o, path, "content"),
                    Reasoning = OptionalString(o, path, "reasoning"),
                    ToolCalls = calls?.Select((c, i) =>
                    {
                        var p = Index(Join(path, "tool_calls"), i);
                        var co = AsObject(c, p);
                        return new ToolCall(RequiredString(co, p, "id"), RequiredString(co, p, "name"), RequiredString(co, p, "arguments"));
                    }).ToArray() ?? [],
                    MalformedToolCalls = malformed?.Select((c, i) =>
                    {
                        var p = Index(Join(path, "malformed_tool_calls"), i);
                        var co = AsObject(c, p);
                        return new MalformedToolCall(RequiredString(co, p, "raw_text"), RequiredString(co, p, "error"));
                    }).ToArray() ?? [],
                    Code = code is null ? null : new CodeBlock(
                        RequiredString(code, Join(path, "code"), "language"), RequiredString(code, Join(path, "code"), "source")),
                };
                if (ids is not null && lps is not null && ids.Count != lps.Count)
                    throw new FormatFieldException(Join(path, "logprobs"), $"has {lps.Count} entries but token_ids has {ids.Count}");
                var weight = OptionalInt(o, path, "weight");
                return new ActionStep(action)
                {
                    TokenIds = ids?.Select((n, i) => ToInt(n, Index(Join(path, "token_ids"), i))).ToArray(),
                    LogProbs = lps?.Select((n, i) => (float)ToDouble(n, Index(Join(path, "logprobs"), i))).ToArray(),
                    Weight = weight,
                    Reward = reward,
                    Metadata = metadata,
                };
            case "observation":
                var obs = new Observation
                {
                    Source = ParseSource(RequiredString(o, path, "source"), Join(path, "source")),
                    Content = RequiredString(o, path, "content"),
                    IsJson = OptionalBool(o, path, "is_json") ?? false,
                    ToolCallId = OptionalString(o, path, "tool_call_id"),
                    Name = OptionalString(o, path, "name"),
                    IsError = OptionalBool(o, path, "is_error") ?? false,
                };
                return new ObservationStep(obs) { Reward = reward, Metadata = metadata };
            default:
                throw new FormatFieldException(Join(path, "kind"), $"must be \"action\" or \"observation\", found \"{kind}\"");
        }
    }

    internal static string StatusName(EpisodeStatus status) => status switch
    {
        EpisodeStatus.Completed => "completed",
        EpisodeStatus.Truncated => "truncated",
        EpisodeStatus.InfrastructureError => "infrastructure_error",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    internal static EpisodeStatus ParseStatus(string? name, string path) => name switch
    {
        null or "completed" => EpisodeStatus.Completed,
        "truncated" => EpisodeStatus.Truncated,
        "infrastructure_error" => EpisodeStatus.InfrastructureError,
        _ => throw new FormatFieldException(path, $"must be completed, truncated or infrastructure_error, found \"{name}\""),
    };

    private static string SourceName(ObservationSource source) => source switch
    {
        ObservationSource.System => "system",
        ObservationSource.User => "user",
        ObservationSource.Tool => "tool",
        ObservationSource.Environment => "environment",
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    private static ObservationSource ParseSource(string name, string path) => name switch
    {
        "system" => ObservationSource.System,
        "user" => ObservationSource.User,
        "tool" => ObservationSource.Tool,
        "environment" => ObservationSource.Environment,
        _ => throw new FormatFieldException(path, $"must be system, user, tool or environment, found \"{name}\""),
    };
}
