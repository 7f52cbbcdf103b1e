using System.Text.Json;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tools;

/// <summary>
/// The tools of an environment with their handlers. It answers every tool call of an <see cref="AgentAction"/> with
/// one observation, so that all environments treat bad calls alike:
/// an unknown tool gets an error listing the available tools; arguments that violate the schema get the validator's
/// messages; a malformed call gets the parser's reason; otherwise the handler answers. Errors are observations with
/// <see cref="Observation.IsError"/> set, never exceptions. It also counts calls (<see cref="Counts"/>).
/// </summary>
public sealed class ToolBox
{
    private readonly List<ToolDefinition> _definitions = [];
    private readonly Dictionary<string, ToolHandler> _handlers = new(StringComparer.Ordinal);
    private int _calls;
    private int _invalid;
    private int _failed;

    /// <summary>The tools, in the order they were added.</summary>
    public IReadOnlyList<ToolDefinition> Definitions => _definitions;

    /// <summary>Calls answered since construction or the last <see cref="ResetCounts"/>.</summary>
    public ToolCallCounts Counts => new(_calls, _invalid, _failed);

    /// <summary>Adds a tool. Returns this box, so that tools can be added in a chain.</summary>
    /// <exception cref="ArgumentException">A tool with the same name is already there.</exception>
    public ToolBox Add(ToolDefinition definition, ToolHandler handler)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(handler);
        if (!_handlers.TryAdd(definition.Name, handler))
            throw new ArgumentException($"Tool \"{definition.Name}\" is already in the tool box.", nameof(definition));
        _definitions.Add(definition);
        return this;
    }

    /// <summary>
    /// A new box with only the tools named in <paramref name="names"/>, in this box's order and with the same handlers
    /// (e.g. the few tools a retrieval step offers for one task). Counts start at zero.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a tool of this box.</exception>
    public ToolBox Only(IReadOnlyCollection<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
            if (!_handlers.ContainsKey(name))
                throw new ArgumentException($"Tool \"{name}\" is not in the tool box.", nameof(names));
        var box = new ToolBox();
        foreach (var definition in _definitions)
            if (names.Contains(definition.Name))
                box.Add(definition, _handlers[definition.Name]);
        return box;
    }

    /// <summary>Sets the call counts back to zero (at the start of an episode).</summary>
    public void ResetCounts() => _calls = _invalid = _failed = 0;

    /// <summary>
    /// Answers every call of <paramref name="action"/> in order: well-formed calls first, as the model wrote them, then
    /// one observation per malformed call.
    /// </summary>
    /// <param name="action">The agent's turn.</param>
    /// <param name="refusal">
    /// Asked before each well-formed call (after the earlier calls of the turn ran): a reason when the episode's rules
    /// forbid the call now (e.g. "an answer was already given"), which <see cref="Refuse"/> answers; null to run it.
    /// </param>
    /// <param name="noCallHint">
    /// For a turn with no tool call at all: the text of an environment observation that tells the agent what to do.
    /// Without it such a turn gets no observation.
    /// </param>
    public List<Observation> Dispatch(AgentAction action, Func<ToolCall, string?>? refusal = null, Func<string>? noCallHint = null)
    {
        var observations = new List<Observation>(Math.Max(1, action.ToolCalls.Count + action.MalformedToolCalls.Count));
        foreach (var call in action.ToolCalls)
            observations.Add(refusal?.Invoke(call) is { } reason ? Refuse(call, reason) : Invoke(call));
        foreach (var malformed in action.MalformedToolCalls)
            observations.Add(Reject(malformed));
        if (noCallHint is not null && action.ToolCalls.Count == 0 && action.MalformedToolCalls.Count == 0)
            observations.Add(new Observation { Source = ObservationSource.Environment, Content = noCallHint() });
        return observations;
    }

    /// <summary>Answers one well-formed call: validates its arguments, then runs its handler.</summary>
    public Observation Invoke(ToolCall call)
    {
        _calls++;
        if (!_handlers.TryGetValue(call.Name, out var handler))
        {
            _invalid++;
            var available = string.Join(", ", _definitions.Select(d => d.Name));
            return Observation.Tool(call.Id, call.Name,
                $"error: unknown tool \"{call.Name}\". Available tools: {available}.", isError: true);
        }

        if (!TryParseArguments(call.ArgumentsJson, out var arguments, out var parseError))
        {
            _invalid++;
            return Observation.Tool(call.Id, call.Name, $"error: {parseError}", isError: true);
        }

        var definition = _definitions.First(d => d.Name == call.Name);
        IReadOnlyList<string> violations;
        try
        {
            violations = ToolArgumentValidator.Validate(definition.Parameters, arguments);
        }
        catch (InvalidOperationException)
        {
            // A string with a lone surrogate escape parses but cannot be read as text.
            violations = ["arguments contain a string that is not valid text"];
        }
        if (violations.Count > 0)
        {
            _invalid++;
            return Observation.Tool(call.Id, call.Name,
                $"error: invalid arguments for {call.Name}: {string.Join("; ", violations)}", isError: true);
        }

        var result = handler(arguments);
        if (result.IsError)
            _failed++;
        return Observation.Tool(call.Id, call.Name, result.Content, result.IsError);
    }

    /// <summary>
    /// Answers a call that could not be parsed. It has no id to answer, so it comes back as environment feedback
    /// (a user turn in chat form) rather than a tool message.
    /// </summary>
    public Observation Reject(MalformedToolCall malformed)
    {
        _calls++;
        _invalid++;
        return new Observation
        {
            Source = ObservationSource.Environment,
            Content = $"error: malformed tool call: {malformed.Error}",
            IsError = true,
        };
    }

    /// <summary>
    /// Answers a call without running it, e.g. a call made after the episode ended in the same turn. Counted as a
    /// failed call, since the call itself was well-formed.
    /// </summary>
    public Observation Refuse(ToolCall call, string reason)
    {
        _calls++;
        _failed++;
        return Observation.Tool(call.Id, call.Name, $"error: {reason}", isError: true);
    }

    // A repeated key ({"a": 1, "a": 2}) is refused rather than resolved: which value the model meant is unknowable,
    // and the handler, the matcher and the chat template would otherwise each pick one.
    private static readonly JsonDocumentOptions StrictArguments = new() { AllowDuplicateProperties = false };

    private static bool TryParseArguments(string json, out JsonElement arguments, out string error)
    {
        arguments = default;
        error = "";
        if (string.IsNullOrWhiteSpace(json))
            json = "{}";
        try
        {
            using var document = JsonDocument.Parse(json, StrictArguments);
            var root = document.RootElement;
            // Some clients double-encode: the arguments are a JSON string holding the object.
            if (root.ValueKind == JsonValueKind.String)
            {
                using var inner = JsonDocument.Parse(root.GetString()!, StrictArguments);
                root = inner.RootElement.Clone();
            }
            arguments = root.Clone();
            return true;
        }
        catch (InvalidOperationException)
        {
            error = "arguments contain a string that is not valid text";
            return false;
        }
        catch (JsonException e)
        {
            error = $"arguments are not valid JSON ({e.Message.Split(". ")[0]}); pass a JSON object such as {{\"name\": value}}";
            return false;
        }
    }
}
