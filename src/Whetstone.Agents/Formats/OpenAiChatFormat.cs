using System.Text.Json.Nodes;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;
using static Whetstone.Agents.Formats.JsonFields;

namespace Whetstone.Agents.Formats;

/// <summary>
/// OpenAI's chat fine-tuning JSONL record: <c>{"messages":[…],"tools":[…]}</c> with roles system, user, assistant
/// (optional <c>tool_calls</c>, <c>weight</c> 0/1, <c>reasoning_content</c>) and tool (<c>tool_call_id</c>).
/// </summary>
/// <remarks>
/// Mapping: system and user messages are observations; each assistant message is one <see cref="ActionStep"/>
/// (<c>weight</c> ↔ <see cref="ActionStep.Weight"/>); tool messages are tool observations whose name is taken from the
/// call they answer. Fields this converter does not interpret (a message's <c>name</c>, content given as an array of
/// parts, extra top-level keys such as <c>parallel_tool_calls</c>) are kept in metadata under <c>"openai"</c> and
/// written back unchanged. The format cannot hold ids, rewards, status, token ids, log-probs, malformed tool calls,
/// code blocks or the difference between user and environment observations; writing drops them.
/// </remarks>
public sealed class OpenAiChatFormat : ITrajectoryFormat
{
    private const string Key = "openai";
    private static readonly HashSet<string> KnownTop = ["messages", "tools"];
    private static readonly HashSet<string> KnownSystemUser = ["role", "content"];
    private static readonly HashSet<string> KnownAssistant = ["role", "content", "tool_calls", "weight", "reasoning_content"];
    private static readonly HashSet<string> KnownTool = ["role", "content", "tool_call_id"];

    /// <summary>The shared instance.</summary>
    public static OpenAiChatFormat Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "openai";

    /// <inheritdoc />
    public JsonObject Write(Trajectory trajectory)
    {
        var messages = new JsonArray();
        foreach (var step in trajectory.Steps)
        {
            var m = step switch
            {
                ActionStep a => WriteAssistant(a),
                ObservationStep o => WriteObservation(o.Observation),
                _ => throw new InvalidOperationException($"Unknown trajectory step type {step.GetType().Name}."),
            };
            UnknownFields.Apply(m, UnknownFields.Of(step, Key));
            messages.Add(m);
        }
        var record = new JsonObject { ["messages"] = messages };
        if (trajectory.Tools.Count > 0) record["tools"] = WriteTools(trajectory.Tools);
        UnknownFields.Apply(record, UnknownFields.Of(trajectory, Key));
        return record;
    }

    /// <inheritdoc />
    public Trajectory Read(JsonObject record, string defaultId)
    {
        var messages = RequiredArray(record, "", "messages");
        var tools = OptionalArray(record, "", "tools");
        var steps = new List<TrajectoryStep>(messages.Count);
        var callNames = new Dictionary<string, string>();
        for (var i = 0; i < messages.Count; i++)
        {
            var path = Index("messages", i);
            var m = AsObject(messages[i], path);
            var role = RequiredString(m, path, "role");
            steps.Add(role switch
            {
                "system" or "user" => ReadSystemOrUser(m, path, role),
                "assistant" => ReadAssistant(m, path, callNames),
                "tool" => ReadTool(m, path, callNames),
                _ => throw new FormatFieldException(Join(path, "role"), $"must be system, user, assistant or tool, found \"{role}\""),
            });
        }
        var extras = UnknownFields.Collect(record, KnownTop);
        return new Trajectory
        {
            Id = defaultId,
            Tools = tools is null ? [] : ReadTools(tools, "tools"),
            Steps = steps,
            Metadata = extras is null ? new JsonObject() : new JsonObject { [Key] = extras },
        };
    }

    /// <summary>Tools in OpenAI's wrapped shape <c>[{"type":"function","function":{name,description,parameters}}]</c>.</summary>
    internal static JsonArray WriteTools(IReadOnlyList<ToolDefinition> tools) =>
        new(tools.Select(t => (JsonNode)new JsonObject { ["type"] = "function", ["function"] = WhetTrajectoryFormat.WriteTool(t) }).ToArray());

    /// <summary>Reads OpenAI-shaped tools; plain <c>{name,description,parameters}</c> objects are accepted too.</summary>
    internal static ToolDefinition[] ReadTools(JsonArray tools, string path) => tools.Select((t, i) =>
    {
        var p = Index(path, i);
        var o = AsObject(t, p);
        if (o["function"] is null) return WhetTrajectoryFormat.ReadTool(o, p);
        var type = OptionalString(o, p, "type");
        if (type is not null and not "function")
            throw new FormatFieldException(Join(p, "type"), $"must be \"function\", found \"{type}\"");
        return WhetTrajectoryFormat.ReadTool(AsObject(o["function"], Join(p, "function")), Join(p, "function"));
    }).ToArray();

    private static JsonObject WriteObservation(Observation o) => o.Source switch
    {
        ObservationSource.System => new JsonObject { ["role"] = "system", ["content"] = o.Content },
        // A tool message must name the call it answers; an output with no call id can only be shown as user text.
        ObservationSource.Tool when o.ToolCallId is not null => new JsonObject { ["role"] = "tool", ["tool_call_id"] = o.ToolCallId, ["content"] = o.Content },
        _ => new JsonObject { ["role"] = "user", ["content"] = o.Content },
    };

    private static JsonObject WriteAssistant(ActionStep step)
    {
        var a = step.Action;
        var m = new JsonObject { ["role"] = "assistant" };
        if (a.Content is not null || a.ToolCalls.Count == 0) m["content"] = a.Content;
        if (a.Reasoning is not null) m["reasoning_content"] = a.Reasoning;
        if (a.ToolCalls.Count > 0)
            m["tool_calls"] = new JsonArray(a.ToolCalls.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.ArgumentsJson },
            }).ToArray());
        if (step.Weight is { } w) m["weight"] = w;
        return m;
    }

    private static ObservationStep ReadSystemOrUser(JsonObject m, string path, string role)
    {
        var content = ReadContent(m, path, required: true)!;
        var obs = role == "system" ? Observation.System(content) : Observation.User(content);
        return new ObservationStep(obs) { Metadata = UnknownFields.StepMetadata(Key, ExtrasWithContentParts(m, KnownSystemUser)) };
    }

    private static ActionStep ReadAssistant(JsonObject m, string path, Dictionary<string, string> callNames)
    {
        var calls = OptionalArray(m, path, "tool_calls");
        var toolCalls = calls?.Select((c, i) =>
        {
            var p = Index(Join(path, "tool_calls"), i);
            var co = AsObject(c, p);
            var type = OptionalString(co, p, "type");
            if (type is not null and not "function")
                throw new FormatFieldException(Join(p, "type"), $"must be \"function\", found \"{type}\"");
            var fp = Join(p, "function");
            var f = OptionalObject(co, p, "function") ?? throw new FormatFieldException(fp, "is required (an object)");
            var call = new ToolCall(RequiredString(co, p, "id"), RequiredString(f, fp, "name"), RequiredString(f, fp, "arguments"));
            callNames[call.Id] = call.Name;
            return call;
        }).ToArray() ?? [];
        var weight = OptionalInt(m, path, "weight");
        if (weight is not null and not (0 or 1))
            throw new FormatFieldException(Join(path, "weight"), $"must be 0 or 1, found {weight}");
        var action = new AgentAction
        {
            Content = ReadContent(m, path, required: false),
            Reasoning = OptionalString(m, path, "reasoning_content"),
            ToolCalls = toolCalls,
        };
        if (!m.ContainsKey("content") && toolCalls.Length == 0)
            throw new FormatFieldException(Join(path, "content"), "an assistant message needs content or tool_calls");
        return new ActionStep(action) { Weight = weight, Metadata = UnknownFields.StepMetadata(Key, ExtrasWithContentParts(m, KnownAssistant)) };
    }

    private static ObservationStep ReadTool(JsonObject m, string path, Dictionary<string, string> callNames)
    {
        var id = RequiredString(m, path, "tool_call_id");
        var name = OptionalString(m, path, "name") ?? callNames.GetValueOrDefault(id);
        var obs = new Observation { Source = ObservationSource.Tool, ToolCallId = id, Name = name, Content = ReadContent(m, path, required: true)! };
        return new ObservationStep(obs) { Metadata = UnknownFields.StepMetadata(Key, ExtrasWithContentParts(m, KnownTool)) };
    }

    /// <summary>
    /// A string content as is; content given as an array of parts reads as its text parts joined, and the array itself
    /// is kept among the extras so that it is written back unchanged.
    /// </summary>
    private static string? ReadContent(JsonObject m, string path, bool required)
    {
        if (m["content"] is JsonArray parts)
        {
            return string.Concat(parts.Select((p, i) =>
            {
                var po = AsObject(p, Index(Join(path, "content"), i));
                return OptionalString(po, Index(Join(path, "content"), i), "text") ?? "";
            }));
        }
        return required ? RequiredString(m, path, "content") : OptionalString(m, path, "content");
    }

    private static JsonObject? ExtrasWithContentParts(JsonObject m, HashSet<string> known)
    {
        var extras = UnknownFields.Collect(m, known);
        if (m["content"] is JsonArray parts)
        {
            extras ??= new JsonObject();
            extras["content"] = parts.DeepClone();
        }
        return extras;
    }
}
