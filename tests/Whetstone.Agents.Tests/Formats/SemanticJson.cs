using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whetstone.Agents.Tests.Formats;

/// <summary>
/// JSON equality up to what carries no meaning: key order, members whose value is null versus absent members, and
/// the spacing of JSON held inside strings (ShareGPT's function_call values and tools field).
/// </summary>
internal static class SemanticJson
{
    public static void Equal(JsonNode? expected, JsonNode? actual)
    {
        var e = Normalize(expected);
        var a = Normalize(actual);
        Assert.True(JsonNode.DeepEquals(e, a), $"expected {expected?.ToJsonString()}\nactual   {actual?.ToJsonString()}");
    }

    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => new JsonObject(o.Where(kv => kv.Value is not null)
            .Select(kv => KeyValuePair.Create(kv.Key, Normalize(kv.Value)))),
        JsonArray a => new JsonArray(a.Select(Normalize).ToArray()),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && ParsesAsStructure(v.GetValue<string>()) is { } parsed => Normalize(parsed),
        _ => node.DeepClone(),
    };

    private static JsonNode? ParsesAsStructure(string s)
    {
        var t = s.TrimStart();
        if (!t.StartsWith('{') && !t.StartsWith('[')) return null;
        try { return JsonNode.Parse(s) is JsonObject or JsonArray ? JsonNode.Parse(s) : null; }
        catch (JsonException) { return null; }
    }
}
