using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whetstone.Models.Templates;

/// <summary>Converts caller-supplied .NET and JSON values into the template's Python-like values.</summary>
internal static class TemplateValues
{
    public static object? From(object? v) => v switch
    {
        null => null,
        bool or long or double or string => v,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        uint u => (long)u,
        float f => (double)f,
        decimal m => (double)m,
        JsonNode node => JsonValues.FromNode(node),
        JsonElement element => JsonValues.FromElement(element),
        OrderedDictionary<string, object?> d => Dict(d),
        IDictionary<string, object?> d => Dict(d),
        IDictionary<string, string> d => Dict(d.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value))),
        IDictionary<string, JsonNode?> d => Dict(d.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value))),
        Undefined or JinjaNamespace or JinjaFunction => v,
        IEnumerable e => e.Cast<object?>().Select(From).ToList(),
        _ => throw new TemplateException($"cannot pass a value of type {v.GetType().Name} to a template"),
    };

    private static OrderedDictionary<string, object?> Dict(IEnumerable<KeyValuePair<string, object?>> pairs)
    {
        var d = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in pairs) d[k] = From(v);
        return d;
    }
}
