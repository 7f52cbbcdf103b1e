using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whetstone.Models.Templates;

/// <summary>
/// Converts System.Text.Json values into template values the way Python's <c>json.loads</c> would:
/// objects keep key order, integers stay ints (a number written with '.' or an exponent is a float).
/// </summary>
internal static class JsonValues
{
    public static object? FromNode(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => FromObject(obj),
        JsonArray arr => arr.Select(FromNode).ToList(),
        JsonValue val => FromValue(val),
        _ => throw new TemplateException($"unsupported JSON node {node.GetType().Name}"),
    };

    private static OrderedDictionary<string, object?> FromObject(JsonObject obj)
    {
        var dict = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in obj) dict[k] = FromNode(v);
        return dict;
    }

    private static object? FromValue(JsonValue val)
    {
        if (val.TryGetValue<JsonElement>(out var element)) return FromElement(element);
        if (val.TryGetValue<string>(out var s)) return s;
        if (val.TryGetValue<bool>(out var b)) return b;
        if (val.TryGetValue<long>(out var l)) return l;
        if (val.TryGetValue<int>(out var i)) return (long)i;
        if (val.TryGetValue<double>(out var d)) return d;
        if (val.TryGetValue<float>(out var f)) return (double)f;
        if (val.TryGetValue<decimal>(out var m)) return (double)m;
        return FromElement(JsonSerializer.SerializeToElement(val));
    }

    public static object? FromElement(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => FromNumberText(e.GetRawText()),
        JsonValueKind.Array => e.EnumerateArray().Select(FromElement).ToList(),
        JsonValueKind.Object => FromElementObject(e),
        _ => throw new TemplateException($"unsupported JSON value kind {e.ValueKind}"),
    };

    private static OrderedDictionary<string, object?> FromElementObject(JsonElement e)
    {
        var dict = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject()) dict[p.Name] = FromElement(p.Value);
        return dict;
    }

    private static object FromNumberText(string raw)
    {
        if (raw.AsSpan().IndexOfAny(".eE") < 0 && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
            return l;
        return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
