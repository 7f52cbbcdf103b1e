using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whetstone.Agents.Formats;

/// <summary>
/// Typed reads of JSON object fields that fail with a <see cref="FormatFieldException"/> naming the field's full
/// path. A JSON <c>null</c> counts as absent for optional fields.
/// </summary>
internal static class JsonFields
{
    /// <summary>The path of <paramref name="name"/> inside the object at <paramref name="path"/>.</summary>
    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>The path of element <paramref name="index"/> of the array at <paramref name="path"/>.</summary>
    public static string Index(string path, int index) => $"{path}[{index}]";

    public static JsonObject AsObject(JsonNode? node, string path) =>
        node as JsonObject ?? throw new FormatFieldException(path, $"expected an object, found {Describe(node)}");

    public static string RequiredString(JsonObject obj, string path, string name) =>
        OptionalString(obj, path, name) ?? throw new FormatFieldException(Join(path, name), "is required (a string)");

    public static string? OptionalString(JsonObject obj, string path, string name)
    {
        var node = obj[name];
        if (node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
        throw new FormatFieldException(Join(path, name), $"expected a string, found {Describe(node)}");
    }

    public static bool? OptionalBool(JsonObject obj, string path, string name)
    {
        var node = obj[name];
        if (node is null) return null;
        var kind = node.GetValueKind();
        if (kind is JsonValueKind.True or JsonValueKind.False) return kind == JsonValueKind.True;
        throw new FormatFieldException(Join(path, name), $"expected true or false, found {Describe(node)}");
    }

    public static double? OptionalDouble(JsonObject obj, string path, string name) =>
        obj[name] is null ? null : ToDouble(obj[name], Join(path, name));

    public static int? OptionalInt(JsonObject obj, string path, string name)
    {
        var node = obj[name];
        if (node is null) return null;
        return ToInt(node, Join(path, name));
    }

    public static JsonArray? OptionalArray(JsonObject obj, string path, string name)
    {
        var node = obj[name];
        if (node is null) return null;
        return node as JsonArray ?? throw new FormatFieldException(Join(path, name), $"expected an array, found {Describe(node)}");
    }

    public static JsonArray RequiredArray(JsonObject obj, string path, string name) =>
        OptionalArray(obj, path, name) ?? throw new FormatFieldException(Join(path, name), "is required (an array)");

    public static JsonObject? OptionalObject(JsonObject obj, string path, string name)
    {
        var node = obj[name];
        if (node is null) return null;
        return node as JsonObject ?? throw new FormatFieldException(Join(path, name), $"expected an object, found {Describe(node)}");
    }

    /// <summary>A number, or one of the strings <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> that the writers emit for non-finite values.</summary>
    public static double ToDouble(JsonNode? node, string path)
    {
        if (node is JsonValue v)
        {
            var kind = v.GetValueKind();
            if (kind == JsonValueKind.Number) return NumberOf(v);
            if (kind == JsonValueKind.String)
            {
                var s = v.GetValue<string>();
                if (s is "NaN" or "Infinity" or "-Infinity") return double.Parse(s, CultureInfo.InvariantCulture);
            }
        }
        throw new FormatFieldException(path, $"expected a number, found {Describe(node)}");
    }

    public static int ToInt(JsonNode? node, string path)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i)) return i;
        if (node is JsonValue w && w.GetValueKind() == JsonValueKind.Number)
        {
            var d = NumberOf(w);
            if (d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue) return (int)d;
        }
        throw new FormatFieldException(path, $"expected an integer, found {Describe(node)}");
    }

    // A JsonValue built in memory holds its CLR type (float, long, …) and GetValue<double> refuses other types;
    // parsing its JSON text works for parsed and built values alike.
    private static double NumberOf(JsonValue v) =>
        v.TryGetValue<double>(out var d) ? d : double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A JSON value for <paramref name="value"/> that stays valid JSON for NaN and infinities.</summary>
    public static JsonNode Number(double value) => double.IsFinite(value)
        ? JsonValue.Create(value)
        : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture).Replace("∞", "Infinity"))!;

    /// <summary>A JSON value for a float, written in its shortest round-trip form (e.g. <c>-0.001</c>, not its double widening).</summary>
    public static JsonNode Number(float value) => float.IsFinite(value)
        ? JsonValue.Create(value)
        : Number((double)value);

    /// <summary>A short description of what was found, for error messages.</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => $"the string {Shorten(node.ToJsonString())}",
            JsonValueKind.Number => $"the number {node.ToJsonString()}",
            JsonValueKind.True or JsonValueKind.False => node.ToJsonString(),
            _ => node.ToJsonString(),
        },
    };

    /// <summary>A deep copy of <paramref name="node"/> (nodes have one parent, so a node shared by two documents must be cloned).</summary>
    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    /// <summary>Reads a JSON Schema or other JSON value into a detached <see cref="JsonElement"/>.</summary>
    public static JsonElement ToElement(JsonNode? node) => node is null
        ? JsonDocument.Parse("null").RootElement.Clone()
        : JsonSerializer.SerializeToElement(node);

    /// <summary>A <see cref="JsonNode"/> copy of <paramref name="element"/>.</summary>
    public static JsonNode? ToNode(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(element.GetRawText());

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "…\"";
}
