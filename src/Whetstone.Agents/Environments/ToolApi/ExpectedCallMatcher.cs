using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Agents.Messages;

namespace Whetstone.Agents.Environments.ToolApi;

/// <summary>
/// Decides whether a call the agent made satisfies an <see cref="ExpectedCall"/>: the same tool, and every
/// expected argument present with an equal value. Strings compare case-insensitively after trimming, numbers
/// within half a cent (money is shown with two decimals), arrays as multisets. Extra optional arguments are fine.
/// It sees only calls the <see cref="Tools.ToolBox"/> accepted, so their arguments parse and repeat no key.
/// </summary>
internal static class ExpectedCallMatcher
{
    public static bool Matches(ExpectedCall expected, ToolCall actual)
    {
        if (actual.Name != expected.Name)
            return false;
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(string.IsNullOrWhiteSpace(actual.ArgumentsJson) ? "{}" : actual.ArgumentsJson);
            if (parsed is JsonValue v && v.TryGetValue(out string? inner))
                parsed = JsonNode.Parse(inner);
        }
        catch (JsonException)
        {
            return false;
        }
        if (parsed is not JsonObject args)
            return false;
        return expected.Arguments.All(p => args.TryGetPropertyValue(p.Key, out var value) && Same(p.Value, value));
    }

    // A JsonValue made from an int cannot be read as a double with GetValue; its JSON text always can.
    private static double AsDouble(JsonNode number) =>
        double.Parse(number.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static bool Same(JsonNode? expected, JsonNode? actual)
    {
        switch (expected)
        {
            case null:
                return actual is null;
            case JsonArray e:
                if (actual is not JsonArray a || a.Count != e.Count)
                    return false;
                var remaining = a.ToList();
                foreach (var item in e)
                {
                    var match = remaining.FindIndex(x => Same(item, x));
                    if (match < 0)
                        return false;
                    remaining.RemoveAt(match);
                }
                return true;
            case JsonValue e when e.GetValueKind() == JsonValueKind.String:
                return actual is JsonValue s && s.GetValueKind() == JsonValueKind.String
                    && string.Equals(e.GetValue<string>().Trim(), s.GetValue<string>().Trim(), StringComparison.OrdinalIgnoreCase);
            case JsonValue e when e.GetValueKind() == JsonValueKind.Number:
                return actual is JsonValue n && n.GetValueKind() == JsonValueKind.Number
                    && Math.Abs(AsDouble(e) - AsDouble(n)) <= 0.005;
            default:
                return JsonNode.DeepEquals(expected, actual);
        }
    }
}
