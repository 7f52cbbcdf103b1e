using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whetstone.Training.Reporting.Data;

/// <summary>Typed reads of optional JSON fields for the run-directory readers, with error descriptions.</summary>
internal static class JsonValues
{
    /// <summary>What a node is, for error messages: "a string", "an object", "null", …</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a value",
        },
        _ => "a value",
    };

    /// <summary>The number at <paramref name="key"/>; null when absent or JSON null.</summary>
    /// <exception cref="FormatException">The field holds something other than a number; the message names the field.</exception>
    public static double? Number(JsonObject record, string key)
    {
        if (!record.TryGetPropertyValue(key, out var node) || node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number) return v.GetValue<double>();
        throw new FieldException(key, $"expected a number, found {Describe(node)}");
    }

    /// <summary>The string at <paramref name="key"/>; null when absent or JSON null.</summary>
    /// <exception cref="FormatException">The field holds something other than a string.</exception>
    public static string? String(JsonObject record, string key)
    {
        if (!record.TryGetPropertyValue(key, out var node) || node is null) return null;
        if (node is JsonValue v && v.TryGetValue<string>(out var s)) return s;
        throw new FieldException(key, $"expected a string, found {Describe(node)}");
    }

    /// <summary>A field of a run-directory file that has the wrong type; readers add the file (and line).</summary>
    internal sealed class FieldException(string field, string problem) : FormatException($"{field}: {problem}")
    {
        /// <summary>The field's name.</summary>
        public string Field { get; } = field;

        /// <summary>What is wrong with it.</summary>
        public string Problem { get; } = problem;
    }
}
