using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;
using static Whetstone.Agents.Formats.JsonFields;

namespace Whetstone.Agents.Formats;

/// <summary>
/// ShareGPT records as LLaMA-Factory reads them:
/// <c>{"conversations":[{"from":"human"|"gpt"|"function_call"|"observation"|"system","value":…}],"system":…,"tools":"&lt;JSON string&gt;"}</c>.
/// </summary>
/// <remarks>
/// <para>Conventions (LLaMA-Factory's): a <c>function_call</c> value is the JSON text of
/// <c>{"name":…,"arguments":{…}}</c>, or of an array of such objects when the turn calls several tools at once; the
/// outputs of such parallel calls share one <c>observation</c> turn, joined by
/// <c>"\n&lt;/tool_response&gt;\n&lt;tool_response&gt;\n"</c>. <c>tools</c> is the JSON text of an array of
/// <c>{name,description,parameters}</c>. A leading system prompt goes to the top-level <c>system</c> field.</para>
/// <para>ShareGPT has no tool-call ids: reading makes them up (<c>call_&lt;turn&gt;_&lt;k&gt;</c>) and writing drops them.
/// Reasoning is written LLaMA-Factory style as a <c>&lt;think&gt;…&lt;/think&gt;</c> prefix of the value. Text that a
/// tool-calling turn says besides its calls goes in an extra <c>text</c> key of the <c>function_call</c> turn
/// (LLaMA-Factory ignores keys it does not know). Other keys are kept in metadata under <c>"sharegpt"</c>.</para>
/// </remarks>
public sealed class ShareGptFormat : ITrajectoryFormat
{
    /// <summary>Separator between the outputs of parallel tool calls inside one observation turn.</summary>
    public const string ParallelOutputSeparator = "\n</tool_response>\n<tool_response>\n";

    private const string Key = "sharegpt";
    private const string ThinkOpen = "<think>\n";
    private const string ThinkClose = "\n</think>\n\n";
    private static readonly HashSet<string> KnownTop = ["conversations", "system", "tools"];
    private static readonly HashSet<string> KnownTurn = ["from", "value"];
    private static readonly HashSet<string> KnownCallTurn = ["from", "value", "text"];

    /// <summary>The shared instance.</summary>
    public static ShareGptFormat Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "sharegpt";

    /// <inheritdoc />
    public JsonObject Write(Trajectory trajectory)
    {
        var record = new JsonObject();
        var turns = new JsonArray();
        var steps = trajectory.Steps;
        var start = 0;
        if (steps.Count > 0 && steps[0] is ObservationStep { Observation.Source: ObservationSource.System } first && first.Metadata is null)
        {
            record["system"] = first.Observation.Content;
            start = 1;
        }
        for (var i = start; i < steps.Count; i++)
        {
            var step = steps[i];
            JsonObject turn;
            if (step is ObservationStep { Observation.Source: ObservationSource.Tool } tool)
            {
                // Parallel calls' outputs share one turn, as LLaMA-Factory's own OpenAI converter does.
                var outputs = new List<string> { tool.Observation.Content };
                while (i + 1 < steps.Count && steps[i + 1] is ObservationStep { Observation.Source: ObservationSource.Tool } next && next.Metadata is null && step.Metadata is null)
                {
                    outputs.Add(next.Observation.Content);
                    i++;
                }
                turn = new JsonObject { ["from"] = "observation", ["value"] = string.Join(ParallelOutputSeparator, outputs) };
            }
            else
            {
                turn = step switch
                {
                    ObservationStep o => new JsonObject
                    {
                        ["from"] = o.Observation.Source == ObservationSource.System ? "system" : "human",
                        ["value"] = o.Observation.Content,
                    },
                    ActionStep a => WriteAction(a.Action),
                    _ => throw new InvalidOperationException($"Unknown trajectory step type {step.GetType().Name}."),
                };
            }
            UnknownFields.Apply(turn, UnknownFields.Of(step, Key));
            turns.Add(turn);
        }
        record["conversations"] = turns;
        if (trajectory.Tools.Count > 0)
            record["tools"] = new JsonArray(trajectory.Tools.Select(t => (JsonNode)WhetTrajectoryFormat.WriteTool(t)).ToArray())
                .ToJsonString(JsonlRecords.LineOptions);
        UnknownFields.Apply(record, UnknownFields.Of(trajectory, Key));
        return record;
    }

    /// <inheritdoc />
    public Trajectory Read(JsonObject record, string defaultId)
    {
        var turns = RequiredArray(record, "", "conversations");
        var steps = new List<TrajectoryStep>();
        if (OptionalString(record, "", "system") is { } system) steps.Add(new ObservationStep(Observation.System(system)));
        IReadOnlyList<ToolCall> pending = [];
        for (var i = 0; i < turns.Count; i++)
        {
            var path = Index("conversations", i);
            var turn = AsObject(turns[i], path);
            var from = RequiredString(turn, path, "from");
            var value = RequiredString(turn, path, "value");
            var meta = UnknownFields.StepMetadata(Key, UnknownFields.Collect(turn, from == "function_call" ? KnownCallTurn : KnownTurn));
            switch (from)
            {
                case "system":
                    // An (even empty) "sharegpt" entry marks it as a turn, so that writing keeps it in the conversation
                    // instead of moving it to the top-level system field.
                    steps.Add(new ObservationStep(Observation.System(value)) { Metadata = meta ?? UnknownFields.StepMetadata(Key, new JsonObject()) });
                    break;
                case "human":
                    steps.Add(new ObservationStep(Observation.User(value)) { Metadata = meta });
                    break;
                case "gpt":
                    var (reasoning, content) = SplitThink(value);
                    steps.Add(new ActionStep(new AgentAction { Content = content, Reasoning = reasoning }) { Metadata = meta });
                    break;
                case "function_call":
                    var (thought, json) = SplitThink(value);
                    pending = ReadCalls(json, Join(path, "value"), i);
                    steps.Add(new ActionStep(new AgentAction
                    {
                        Content = OptionalString(turn, path, "text"),
                        Reasoning = thought,
                        ToolCalls = pending,
                    }) { Metadata = meta });
                    break;
                case "observation":
                    var outputs = pending.Count > 1 ? value.Split(ParallelOutputSeparator) : [value];
                    if (outputs.Length != pending.Count) outputs = [value];
                    for (var k = 0; k < outputs.Length; k++)
                    {
                        var call = k < pending.Count ? pending[k] : null;
                        steps.Add(new ObservationStep(new Observation
                        {
                            Source = ObservationSource.Tool, Content = outputs[k], ToolCallId = call?.Id, Name = call?.Name,
                        }) { Metadata = k == 0 ? meta : null });
                    }
                    pending = [];
                    break;
                default:
                    throw new FormatFieldException(Join(path, "from"),
                        $"must be human, gpt, function_call, observation or system, found \"{from}\"");
            }
        }
        var extras = UnknownFields.Collect(record, KnownTop);
        return new Trajectory
        {
            Id = defaultId,
            Tools = ReadToolsField(record),
            Steps = steps,
            Metadata = extras is null ? new JsonObject() : new JsonObject { [Key] = extras },
        };
    }

    private static JsonObject WriteAction(AgentAction a)
    {
        if (a.ToolCalls.Count == 0)
            return new JsonObject { ["from"] = "gpt", ["value"] = JoinThink(a.Reasoning, a.Content ?? "") };
        var calls = a.ToolCalls.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["arguments"] = ArgumentsNode(c.ArgumentsJson) }).ToArray();
        JsonNode value = calls.Length == 1 ? calls[0] : new JsonArray(calls);
        var turn = new JsonObject { ["from"] = "function_call", ["value"] = JoinThink(a.Reasoning, value.ToJsonString(JsonlRecords.LineOptions)) };
        if (a.Content is not null) turn["text"] = a.Content;
        return turn;
    }

    /// <summary>Arguments as a JSON value when they parse, else as the raw string (LLaMA-Factory dumps either).</summary>
    private static JsonNode? ArgumentsNode(string argumentsJson)
    {
        try { return JsonNode.Parse(argumentsJson); }
        catch (JsonException) { return JsonValue.Create(argumentsJson); }
    }

    private static ToolCall[] ReadCalls(string json, string path, int turnIndex)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException e) { throw new FormatFieldException(path, $"is not a JSON tool call: {e.Message}"); }
        var items = node is JsonArray arr ? arr.ToArray() : [node];
        return items.Select((item, k) =>
        {
            var p = node is JsonArray ? $"{path}[{k}]" : path;
            var o = AsObject(item, p);
            var name = RequiredString(o, p, "name");
            var args = o["arguments"] switch
            {
                null => "{}",
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                var other => other.ToJsonString(JsonlRecords.LineOptions),
            };
            return new ToolCall($"call_{turnIndex}_{k}", name, args);
        }).ToArray();
    }

    private static IReadOnlyList<Whetstone.Agents.Tools.ToolDefinition> ReadToolsField(JsonObject record)
    {
        var node = record["tools"];
        if (node is null) return [];
        if (node is JsonArray direct) return OpenAiChatFormat.ReadTools(direct, "tools");
        var text = OptionalString(record, "", "tools")!;
        if (string.IsNullOrWhiteSpace(text)) return [];
        JsonNode? parsed;
        try { parsed = JsonNode.Parse(text); }
        catch (JsonException e) { throw new FormatFieldException("tools", $"is not valid JSON text: {e.Message}"); }
        return parsed switch
        {
            JsonArray a => OpenAiChatFormat.ReadTools(a, "tools"),
            JsonObject o => OpenAiChatFormat.ReadTools(new JsonArray(o.DeepClone()), "tools"),
            _ => throw new FormatFieldException("tools", $"must hold a JSON array of tools, found {Describe(parsed)}"),
        };
    }

    private static string JoinThink(string? reasoning, string rest) =>
        reasoning is null ? rest : ThinkOpen + reasoning + ThinkClose + rest;

    private static (string? Reasoning, string Remainder) SplitThink(string value)
    {
        if (!value.StartsWith(ThinkOpen, StringComparison.Ordinal)) return (null, value);
        var end = value.IndexOf(ThinkClose, ThinkOpen.Length, StringComparison.Ordinal);
        if (end < 0) return (null, value);
        return (value[ThinkOpen.Length..end], value[(end + ThinkClose.Length)..]);
    }
}
