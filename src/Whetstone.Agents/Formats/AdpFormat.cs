using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;
using static Whetstone.Agents.Formats.JsonFields;

namespace Whetstone.Agents.Formats;

/// <summary>
/// Agent Data Protocol (ADP, arXiv 2510.24702, neulab/agent-data-protocol) trajectories:
/// <c>{"id":…,"content":[actions and observations],"details":{…}}</c>, each content item tagged by <c>class_</c>:
/// <c>message_action</c> {content, description}, <c>api_action</c> {function, kwargs, description},
/// <c>code_action</c> {language, content, description}, <c>text_observation</c> {source, content, name}; actions may
/// carry <c>reasoning_content</c> and <c>reward</c>, tool actions and observations a <c>tool_call_id</c>.
/// </summary>
/// <remarks>
/// <para>An <see cref="AgentAction"/> becomes a <c>message_action</c> (its text) followed by one <c>api_action</c> per
/// tool call and a <c>code_action</c> for its code; reasoning rides on the first of them. Reading regroups: a
/// <c>message_action</c>, an action carrying <c>reasoning_content</c>, a second <c>code_action</c>, or anything after an
/// observation starts a new turn. (Two consecutive turns with no observation between them therefore merge when the
/// later one has no text and no reasoning.)</para>
/// <para>Tool-call ids use ADP's own <c>tool_call_id</c> field on <c>api_action</c> and <c>text_observation</c>.
/// Tool outputs are <c>environment</c> observations with the tool's <c>name</c>. Trajectory fields go in
/// <c>details</c> (<c>task_id, environment, tools, reward, success, status, status_detail, metrics</c>, plus the
/// metadata's keys); step fields ADP has no place for (weight, token ids, log-probs, malformed tool calls, JSON/error
/// flags, step metadata) go in <c>details.step_extras</c> keyed by step index. Action descriptions are kept in step
/// metadata under <c>"adp"</c>; api actions without a <c>tool_call_id</c> (older ADP data) get ids
/// <c>call_&lt;index&gt;</c>, and the step remembers to write them without. Unknown keys on content items are rejected, as ADP's schema rejects them.</para>
/// </remarks>
public sealed class AdpFormat : ITrajectoryFormat
{
    private const string Key = "adp";
    private static readonly HashSet<string> KnownTop = ["id", "content", "details"];
    private static readonly HashSet<string> DetailKeys =
        ["task_id", "environment", "tools", "reward", "success", "status", "status_detail", "metrics", "metadata", "step_extras"];
    private static readonly Dictionary<string, HashSet<string>> ItemKeys = new()
    {
        ["message_action"] = ["class_", "content", "description", "reasoning_content", "reward"],
        ["api_action"] = ["class_", "function", "kwargs", "description", "reasoning_content", "reward", "tool_call_id"],
        ["code_action"] = ["class_", "language", "content", "description", "reasoning_content", "reward", "tool_call_id"],
        ["text_observation"] = ["class_", "source", "content", "name", "reward", "tool_call_id"],
    };

    /// <summary>The shared instance.</summary>
    public static AdpFormat Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "adp";

    /// <inheritdoc />
    public JsonObject Write(Trajectory trajectory)
    {
        var content = new JsonArray();
        var stepExtras = new JsonArray();
        for (var i = 0; i < trajectory.Steps.Count; i++)
        {
            var step = trajectory.Steps[i];
            var extras = new JsonObject();
            switch (step)
            {
                case ActionStep a: WriteAction(a, content, extras); break;
                case ObservationStep o: content.Add(WriteObservation(o, extras)); break;
                default: throw new InvalidOperationException($"Unknown trajectory step type {step.GetType().Name}.");
            }
            if (step.Metadata is { } meta && meta.Any(kv => kv.Key != Key))
            {
                var kept = (JsonObject)meta.DeepClone();
                kept.Remove(Key);
                extras["metadata"] = kept;
            }
            if (extras.Count > 0)
            {
                var entry = new JsonObject { ["step"] = i };
                foreach (var (k, v) in extras) entry[k] = v?.DeepClone();
                stepExtras.Add(entry);
            }
        }

        var details = new JsonObject();
        if (trajectory.TaskId is not null) details["task_id"] = trajectory.TaskId;
        if (trajectory.Environment is not null) details["environment"] = trajectory.Environment;
        if (trajectory.Tools.Count > 0) details["tools"] = new JsonArray(trajectory.Tools.Select(t => (JsonNode)WhetTrajectoryFormat.WriteTool(t)).ToArray());
        if (trajectory.Reward is { } r) details["reward"] = Number(r);
        if (trajectory.Success is { } s) details["success"] = s;
        if (trajectory.Status != EpisodeStatus.Completed) details["status"] = WhetTrajectoryFormat.StatusName(trajectory.Status);
        if (trajectory.StatusDetail is not null) details["status_detail"] = trajectory.StatusDetail;
        if (trajectory.Metrics.Count > 0)
        {
            var m = new JsonObject();
            foreach (var (k, v) in trajectory.Metrics) m[k] = Number(v);
            details["metrics"] = m;
        }
        if (stepExtras.Count > 0) details["step_extras"] = stepExtras;
        JsonObject? nested = null;
        foreach (var (k, v) in trajectory.Metadata)
        {
            if (k == Key) continue;
            if (DetailKeys.Contains(k)) (nested ??= new JsonObject())[k] = v?.DeepClone();
            else details[k] = v?.DeepClone();
        }
        if (nested is not null) details["metadata"] = nested;

        var record = new JsonObject { ["id"] = trajectory.Id, ["content"] = content, ["details"] = details };
        UnknownFields.Apply(record, UnknownFields.Of(trajectory, Key));
        return record;
    }

    /// <inheritdoc />
    public Trajectory Read(JsonObject record, string defaultId)
    {
        var items = RequiredArray(record, "", "content");
        var details = OptionalObject(record, "", "details") ?? new JsonObject();
        var steps = new List<TrajectoryStep>();
        TurnBuilder? turn = null;
        var madeUp = new Queue<string>(); // ids made up for api actions without tool_call_id, awaiting their outputs
        void Flush()
        {
            if (turn is not null) steps.Add(turn.Build());
            turn = null;
        }

        for (var j = 0; j < items.Count; j++)
        {
            var path = Index("content", j);
            var item = AsObject(items[j], path);
            var cls = RequiredString(item, path, "class_");
            if (!ItemKeys.TryGetValue(cls, out var known))
                throw new FormatFieldException(Join(path, "class_"),
                    $"must be message_action, api_action, code_action or text_observation, found \"{cls}\"");
            foreach (var (k, _) in item)
                if (!known.Contains(k)) throw new FormatFieldException(Join(path, k), $"is not a field of {cls}");
            var reasoning = OptionalString(item, path, "reasoning_content");
            var reward = OptionalDouble(item, path, "reward");
            switch (cls)
            {
                case "message_action":
                    Flush();
                    turn = new TurnBuilder { Content = RequiredString(item, path, "content"), Reasoning = reasoning,
                        Description = OptionalString(item, path, "description") };
                    turn.Add(reward);
                    break;
                case "api_action":
                    if (turn is null || turn.Code is not null || reasoning is not null) { Flush(); turn = new TurnBuilder { Reasoning = reasoning }; }
                    var kwargs = OptionalObject(item, path, "kwargs") ?? throw new FormatFieldException(Join(path, "kwargs"), "is required (an object)");
                    var callId = OptionalString(item, path, "tool_call_id");
                    turn.MadeUpIds |= callId is null;
                    if (callId is null) madeUp.Enqueue($"call_{j}");
                    turn.Calls.Add(new ToolCall(
                        callId ?? $"call_{j}",
                        RequiredString(item, path, "function"),
                        kwargs.ToJsonString(JsonlRecords.LineOptions)));
                    turn.CallDescriptions.Add(OptionalString(item, path, "description"));
                    turn.Add(reward);
                    break;
                case "code_action":
                    if (turn is null || turn.Code is not null || reasoning is not null) { Flush(); turn = new TurnBuilder { Reasoning = reasoning }; }
                    turn.Code = new CodeBlock(RequiredString(item, path, "language"), RequiredString(item, path, "content"));
                    turn.CodeDescription = OptionalString(item, path, "description");
                    turn.Add(reward);
                    break;
                default:
                    Flush();
                    var obs = ReadObservation(item, path, reward);
                    if (obs.Observation is { Source: ObservationSource.Environment, ToolCallId: null } && madeUp.Count > 0
                        && RequiredString(item, path, "source") == "environment")
                        obs = obs with
                        {
                            Observation = obs.Observation with { Source = ObservationSource.Tool, ToolCallId = madeUp.Dequeue() },
                            Metadata = new JsonObject { [Key] = new JsonObject { ["made_up_ids"] = true } },
                        };
                    steps.Add(obs);
                    break;
            }
        }
        Flush();
        ApplyStepExtras(steps, details);

        var metadata = new JsonObject();
        foreach (var (k, v) in details)
            if (!DetailKeys.Contains(k)) metadata[k] = v?.DeepClone();
        if (OptionalObject(details, "details", "metadata") is { } nested)
            foreach (var (k, v) in nested) metadata[k] = v?.DeepClone();
        if (UnknownFields.Collect(record, KnownTop) is { } topExtras) metadata[Key] = topExtras;
        var metrics = new Dictionary<string, double>();
        if (OptionalObject(details, "details", "metrics") is { } mo)
            foreach (var (k, v) in mo) metrics[k] = ToDouble(v, Join("details.metrics", k));
        var tools = OptionalArray(details, "details", "tools");
        return new Trajectory
        {
            Id = OptionalString(record, "", "id") ?? defaultId,
            TaskId = OptionalString(details, "details", "task_id"),
            Environment = OptionalString(details, "details", "environment"),
            Tools = tools is null ? [] : OpenAiChatFormat.ReadTools(tools, "details.tools"),
            Steps = steps,
            Reward = OptionalDouble(details, "details", "reward"),
            Success = OptionalBool(details, "details", "success"),
            Status = WhetTrajectoryFormat.ParseStatus(OptionalString(details, "details", "status"), "details.status"),
            StatusDetail = OptionalString(details, "details", "status_detail"),
            Metrics = metrics,
            Metadata = metadata,
        };
    }

    private static void WriteAction(ActionStep step, JsonArray content, JsonObject extras)
    {
        var a = step.Action;
        var adp = UnknownFields.Of(step, Key);
        var emitted = new List<JsonObject>();
        if (a.Content is not null || (a.ToolCalls.Count == 0 && a.Code is null))
        {
            var m = new JsonObject { ["class_"] = "message_action", ["content"] = a.Content ?? "" };
            if (a.Content is null) extras["content_null"] = true;
            if (adp?["description"] is { } d) m["description"] = d.DeepClone();
            emitted.Add(m);
        }
        var callDescriptions = adp?["tool_call_descriptions"] as JsonArray;
        JsonObject? rawArguments = null;
        for (var k = 0; k < a.ToolCalls.Count; k++)
        {
            var call = a.ToolCalls[k];
            var api = new JsonObject { ["class_"] = "api_action", ["function"] = call.Name, ["kwargs"] = KwargsOf(call.ArgumentsJson, out var exact) };
            if (!exact) (rawArguments ??= new JsonObject())[k.ToString(System.Globalization.CultureInfo.InvariantCulture)] = call.ArgumentsJson;
            if (callDescriptions is not null && k < callDescriptions.Count && callDescriptions[k] is { } cd) api["description"] = cd.DeepClone();
            if (adp?["made_up_ids"] is null) api["tool_call_id"] = call.Id;
            emitted.Add(api);
        }
        if (rawArguments is not null) extras["raw_arguments"] = rawArguments;
        if (a.Code is { } code)
            emitted.Add(new JsonObject
            {
                ["class_"] = "code_action", ["language"] = code.Language, ["content"] = code.Source,
                ["description"] = adp?["code_description"]?.DeepClone(),
            });
        if (a.Reasoning is not null) emitted[0]["reasoning_content"] = a.Reasoning;
        if (step.Reward is { } r)
        {
            var at = adp?["reward_item"] is JsonValue v && v.TryGetValue<int>(out var i) && i >= 0 && i < emitted.Count ? i : emitted.Count - 1;
            emitted[at]["reward"] = Number(r);
        }
        foreach (var e in emitted) content.Add(e);

        if (step.Weight is { } w) extras["weight"] = w;
        if (step.TokenIds is { } ids) extras["token_ids"] = new JsonArray(ids.Select(i => (JsonNode)JsonValue.Create(i)).ToArray());
        if (step.LogProbs is { } lps) extras["logprobs"] = new JsonArray(lps.Select(p => Number(p)).ToArray());
        if (a.MalformedToolCalls.Count > 0)
            extras["malformed_tool_calls"] = new JsonArray(a.MalformedToolCalls.Select(c => (JsonNode)new JsonObject
            {
                ["raw_text"] = c.RawText, ["error"] = c.Error,
            }).ToArray());
    }

    /// <summary>The arguments as an ADP <c>kwargs</c> object; <paramref name="exact"/> says whether writing it back gives the same text.</summary>
    private static JsonObject KwargsOf(string argumentsJson, out bool exact)
    {
        try
        {
            if (JsonNode.Parse(argumentsJson) is JsonObject o)
            {
                exact = o.ToJsonString(JsonlRecords.LineOptions) == argumentsJson;
                return o;
            }
        }
        catch (JsonException) { }
        exact = false;
        return new JsonObject();
    }

    private static JsonObject WriteObservation(ObservationStep step, JsonObject extras)
    {
        var o = step.Observation;
        var source = o.Source switch
        {
            ObservationSource.System => "system",
            ObservationSource.User => "user",
            _ => "environment",
        };
        if (UnknownFields.Of(step, Key)?["source"] is JsonValue original) source = original.GetValue<string>();
        var item = new JsonObject { ["class_"] = "text_observation", ["source"] = source, ["content"] = o.Content };
        if (o.Name is not null) item["name"] = o.Name;
        if (o.ToolCallId is not null && UnknownFields.Of(step, Key)?["made_up_ids"] is null) item["tool_call_id"] = o.ToolCallId;
        if (step.Reward is { } r) item["reward"] = Number(r);
        if (o.Source == ObservationSource.Tool && item["tool_call_id"] is null && UnknownFields.Of(step, Key)?["made_up_ids"] is null)
            extras["source"] = "tool";
        if (o.Source == ObservationSource.Environment && o.ToolCallId is not null) extras["source"] = "environment";
        if (o.IsJson) extras["is_json"] = true;
        if (o.IsError) extras["is_error"] = true;
        return item;
    }

    private static ObservationStep ReadObservation(JsonObject item, string path, double? reward)
    {
        var source = RequiredString(item, path, "source");
        var toolCallId = OptionalString(item, path, "tool_call_id");
        JsonObject? adp = null;
        var kind = source switch
        {
            "system" => ObservationSource.System,
            "user" => ObservationSource.User,
            "environment" => toolCallId is null ? ObservationSource.Environment : ObservationSource.Tool,
            _ => ObservationSource.Environment,
        };
        if (kind == ObservationSource.Environment && source != "environment") adp = new JsonObject { ["source"] = source };
        return new ObservationStep(new Observation
        {
            Source = kind,
            Content = RequiredString(item, path, "content"),
            Name = OptionalString(item, path, "name"),
            ToolCallId = toolCallId,
        }) { Reward = reward, Metadata = UnknownFields.StepMetadata(Key, adp) };
    }

    private static void ApplyStepExtras(List<TrajectoryStep> steps, JsonObject details)
    {
        if (OptionalArray(details, "details", "step_extras") is not { } list) return;
        for (var e = 0; e < list.Count; e++)
        {
            var path = Index("details.step_extras", e);
            var x = AsObject(list[e], path);
            var i = ToInt(x["step"], Join(path, "step"));
            if (i < 0 || i >= steps.Count)
                throw new FormatFieldException(Join(path, "step"), $"is {i} but the trajectory has {steps.Count} steps");
            var metadata = OptionalObject(x, path, "metadata");
            steps[i] = steps[i] switch
            {
                ActionStep a => ApplyActionExtras(a, x, path, metadata),
                ObservationStep o => ApplyObservationExtras(o, x, path, metadata),
                _ => steps[i],
            };
        }
    }

    private static ActionStep ApplyActionExtras(ActionStep a, JsonObject x, string path, JsonObject? metadata)
    {
        var action = a.Action;
        if (OptionalBool(x, path, "content_null") == true) action = action with { Content = null };
        if (OptionalObject(x, path, "raw_arguments") is { } raw)
        {
            var calls = action.ToolCalls.ToArray();
            foreach (var (k, v) in raw)
            {
                if (!int.TryParse(k, out var index) || index < 0 || index >= calls.Length)
                    throw new FormatFieldException(Join(Join(path, "raw_arguments"), k), "does not name a tool call of this turn");
                calls[index] = calls[index] with { ArgumentsJson = v?.GetValue<string>() ?? "" };
            }
            action = action with { ToolCalls = calls };
        }
        if (OptionalArray(x, path, "malformed_tool_calls") is { } bad)
            action = action with
            {
                MalformedToolCalls = bad.Select((c, k) =>
                {
                    var p = Index(Join(path, "malformed_tool_calls"), k);
                    var co = AsObject(c, p);
                    return new MalformedToolCall(RequiredString(co, p, "raw_text"), RequiredString(co, p, "error"));
                }).ToArray(),
            };
        return new ActionStep(action)
        {
            Reward = a.Reward,
            Weight = OptionalInt(x, path, "weight"),
            TokenIds = OptionalArray(x, path, "token_ids")?.Select((n, k) => ToInt(n, Index(Join(path, "token_ids"), k))).ToArray(),
            LogProbs = OptionalArray(x, path, "logprobs")?.Select((n, k) => (float)ToDouble(n, Index(Join(path, "logprobs"), k))).ToArray(),
            Metadata = Merge(a.Metadata, metadata),
        };
    }

    private static ObservationStep ApplyObservationExtras(ObservationStep o, JsonObject x, string path, JsonObject? metadata)
    {
        var obs = o.Observation with
        {
            IsJson = OptionalBool(x, path, "is_json") ?? false,
            IsError = OptionalBool(x, path, "is_error") ?? false,
        };
        obs = OptionalString(x, path, "source") switch
        {
            null => obs,
            "tool" => obs with { Source = ObservationSource.Tool },
            "environment" => obs with { Source = ObservationSource.Environment },
            var s => throw new FormatFieldException(Join(path, "source"), $"must be tool or environment, found \"{s}\""),
        };
        return o with { Observation = obs, Metadata = Merge(o.Metadata, metadata) };
    }

    private static JsonObject? Merge(JsonObject? fromAdp, JsonObject? kept)
    {
        if (kept is null) return fromAdp;
        var merged = (JsonObject)kept.DeepClone();
        if (fromAdp?[Key] is { } adp) merged[Key] = adp.DeepClone();
        return merged;
    }

    /// <summary>An agent turn being regrouped from consecutive ADP actions.</summary>
    private sealed class TurnBuilder
    {
        public string? Content;
        public string? Reasoning;
        public string? Description;
        public CodeBlock? Code;
        public string? CodeDescription;
        public double? Reward;
        public bool MadeUpIds;
        public int Items;
        public int? RewardItem;

        /// <summary>Counts one more ADP item in this turn and notes it if it carries the reward.</summary>
        public void Add(double? reward)
        {
            if (reward is not null) { Reward = reward; RewardItem = Items; }
            Items++;
        }
        public readonly List<ToolCall> Calls = [];
        public readonly List<string?> CallDescriptions = [];

        public ActionStep Build()
        {
            JsonObject? adp = null;
            if (Description is not null) (adp ??= new JsonObject())["description"] = Description;
            if (CallDescriptions.Any(d => d is not null))
                (adp ??= new JsonObject())["tool_call_descriptions"] = new JsonArray(CallDescriptions.Select(d => (JsonNode?)d).ToArray());
            if (CodeDescription is not null) (adp ??= new JsonObject())["code_description"] = CodeDescription;
            if (MadeUpIds) (adp ??= new JsonObject())["made_up_ids"] = true;
            // Writing puts the reward on the turn's last item; remember when the source had it elsewhere.
            if (RewardItem is { } r && r != Items - 1) (adp ??= new JsonObject())["reward_item"] = r;
            return new ActionStep(new AgentAction { Content = Content, Reasoning = Reasoning, ToolCalls = Calls.ToArray(), Code = Code })
            {
                Reward = Reward,
                Metadata = UnknownFields.StepMetadata(Key, adp),
            };
        }
    }
}
