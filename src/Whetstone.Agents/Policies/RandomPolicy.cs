using System.Buffers;
using System.Text;
using System.Text.Json;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Policies;

/// <summary>
/// A seeded random baseline: each turn it calls one randomly chosen tool with random arguments that roughly follow the
/// tool's JSON Schema (strings from a small pool, numbers inside <c>minimum</c>/<c>maximum</c> or a small range, enum
/// members, booleans, short arrays, nested objects; required properties always, optional ones half the time), and
/// sometimes says plain text instead. Its score is the floor that shows a task is not trivial.
/// </summary>
/// <remarks>
/// Stateless and thread-safe: each turn's randomness is derived from the constructor seed, the call's
/// <see cref="SamplingOptions.Seed"/> and the conversation length, so the same conversation always gets the same answer.
/// </remarks>
public sealed class RandomPolicy : IPolicy
{
    private static readonly string[] StringPool =
        ["", "a", "x", "hello", "42", "3.5", "-7", "2 + 3", "12 * (4 - 1)", "up", "down", "left", "right", "north", "0", "1", "yes", "done", "answer"];

    private static readonly string[] TextPool =
        ["I am not sure.", "Let me think about this.", "The answer is 42.", "Done.", "Could you clarify the task?"];

    private readonly int _seed;
    private readonly double _textProbability;

    /// <summary>Creates the policy.</summary>
    /// <param name="seed">Seed of all its choices.</param>
    /// <param name="textProbability">Chance per turn of answering with plain text instead of a tool call (always text when no tool is on offer).</param>
    public RandomPolicy(int seed = 0, double textProbability = 0.1)
    {
        if (textProbability is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(textProbability), textProbability, "textProbability must be in [0, 1].");
        _seed = seed;
        _textProbability = textProbability;
    }

    /// <inheritdoc />
    public Task<PolicyResponse> RespondAsync(IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var tools = options?.Tools ?? [];
        // HashCode.Combine is randomised per process; TaskRandom's mixing gives the same stream in every run.
        var mixed = TaskRandom.From(_seed, options?.Sampling.Seed ?? 0, messages.Count).NextUInt64();
        var random = new Random((int)(mixed >> 33));

        if (tools.Count == 0 || random.NextDouble() < _textProbability)
            return Task.FromResult(new PolicyResponse { Action = AgentAction.Say(TextPool[random.Next(TextPool.Length)]), FinishReason = "stop" });

        var tool = tools[random.Next(tools.Count)];
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
            WriteValue(writer, tool.Parameters, random, depth: 0);
        var call = new ToolCall($"call_{messages.Count}_0", tool.Name, Encoding.UTF8.GetString(buffer.WrittenSpan));
        return Task.FromResult(new PolicyResponse { Action = AgentAction.Call(call), FinishReason = "tool_calls" });
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonElement schema, Random random, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            writer.WriteStringValue(StringPool[random.Next(StringPool.Length)]);
            return;
        }
        if (schema.TryGetProperty("enum", out var members) && members.ValueKind == JsonValueKind.Array && members.GetArrayLength() > 0)
        {
            members[random.Next(members.GetArrayLength())].WriteTo(writer);
            return;
        }
        switch (TypeOf(schema, random))
        {
            case "object":
                WriteObject(writer, schema, random, depth);
                break;
            case "array":
                writer.WriteStartArray();
                if (depth < 4)
                {
                    var items = schema.TryGetProperty("items", out var i) ? i : default;
                    for (int n = random.Next(4); n > 0; n--)
                        WriteValue(writer, items, random, depth + 1);
                }
                writer.WriteEndArray();
                break;
            case "integer":
            {
                var (lo, hi) = Range(schema, -5, 20);
                writer.WriteNumberValue((long)Math.Floor(lo + random.NextDouble() * (hi - lo + 1)));
                break;
            }
            case "number":
            {
                var (lo, hi) = Range(schema, -10, 100);
                writer.WriteNumberValue(Math.Round(lo + random.NextDouble() * (hi - lo), 2));
                break;
            }
            case "boolean":
                writer.WriteBooleanValue(random.Next(2) == 1);
                break;
            case "null":
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(StringPool[random.Next(StringPool.Length)]);
                break;
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, JsonElement schema, Random random, int depth)
    {
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (schema.TryGetProperty("required", out var names) && names.ValueKind == JsonValueKind.Array)
            foreach (var name in names.EnumerateArray())
                if (name.ValueKind == JsonValueKind.String)
                    required.Add(name.GetString()!);

        writer.WriteStartObject();
        if (depth < 4 && schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (!required.Contains(property.Name) && random.Next(2) == 0)
                    continue;
                writer.WritePropertyName(property.Name);
                WriteValue(writer, property.Value, random, depth + 1);
            }
        }
        writer.WriteEndObject();
    }

    // "type" may be a string or a list of strings (e.g. ["string","null"]); a list picks one member at random.
    private static string? TypeOf(JsonElement schema, Random random)
    {
        if (!schema.TryGetProperty("type", out var type))
            return schema.TryGetProperty("properties", out _) ? "object" : null;
        if (type.ValueKind == JsonValueKind.String)
            return type.GetString();
        if (type.ValueKind == JsonValueKind.Array && type.GetArrayLength() > 0)
            return type[random.Next(type.GetArrayLength())].GetString();
        return null;
    }

    private static (double Low, double High) Range(JsonElement schema, double low, double high)
    {
        bool hasMin = schema.TryGetProperty("minimum", out var min) && min.ValueKind == JsonValueKind.Number;
        bool hasMax = schema.TryGetProperty("maximum", out var max) && max.ValueKind == JsonValueKind.Number;
        double lo = hasMin ? min.GetDouble() : low, hi = hasMax ? max.GetDouble() : high;
        if (hasMin && !hasMax) hi = Math.Max(hi, lo + (high - low));
        if (hasMax && !hasMin) lo = Math.Min(lo, hi - (high - low));
        return lo <= hi ? (lo, hi) : (hi, lo);
    }
}
