using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Agents.Formats;

namespace Whetstone.Training.Reporting.Data;

/// <summary>
/// Reads the training metrics log: one JSON object per line with a numeric <c>step</c>, an optional string
/// <c>stage</c> and any number of named numeric fields. Unknown keys are kept generically; strings other than
/// <c>stage</c>, nulls, arrays and objects are skipped, because a logger may add timestamps or notes; the strings
/// <c>"NaN"</c> and <c>"±Infinity"</c> (how <c>MetricsLog</c> writes non-finite values) are read as such.
/// </summary>
internal static class MetricsJsonl
{
    /// <summary>Every record of <paramref name="path"/> in file order.</summary>
    /// <exception cref="JsonlFormatException">A line is not a JSON object, lacks a numeric <c>step</c> or has a non-string <c>stage</c>.</exception>
    public static List<MetricsRecord> Read(string path)
    {
        var records = new List<MetricsRecord>();
        foreach (var (line, record) in JsonlRecords.Read(path))
            records.Add(Parse(record, path, line));
        return records;
    }

    private static MetricsRecord Parse(JsonObject record, string path, int line)
    {
        if (!record.TryGetPropertyValue("step", out var stepNode) || stepNode is null)
            throw new JsonlFormatException(path, line, "step", "is required (a number)");
        if (!TryNumber(stepNode, out var step) || !double.IsFinite(step))
            throw new JsonlFormatException(path, line, "step", $"expected a number, found {JsonValues.Describe(stepNode)}");

        string? stage = null;
        if (record.TryGetPropertyValue("stage", out var stageNode) && stageNode is not null)
        {
            if (stageNode is not JsonValue sv || !sv.TryGetValue(out stage))
                throw new JsonlFormatException(path, line, "stage", $"expected a string, found {JsonValues.Describe(stageNode)}");
        }

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, node) in record)
        {
            if (key is "step" or "stage" || node is null) continue;
            if (TryNumber(node, out var v) || TryNonFinite(node, out v)) values[key] = v;
        }
        return new MetricsRecord(line, step, stage, values);
    }

    /// <summary>
    /// The strings <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>, which is how the metrics log writes values
    /// JSON cannot hold. They are kept so the charts can say how many points diverged instead of hiding them.
    /// </summary>
    private static bool TryNonFinite(JsonNode node, out double value)
    {
        value = 0;
        if (node is not JsonValue v || !v.TryGetValue<string>(out var s)) return false;
        value = s switch { "NaN" => double.NaN, "Infinity" => double.PositiveInfinity, "-Infinity" => double.NegativeInfinity, _ => 0 };
        return !double.IsFinite(value);
    }

    /// <summary>A JSON number, or a boolean as 0/1.</summary>
    internal static bool TryNumber(JsonNode node, out double value)
    {
        value = 0;
        if (node is not JsonValue v) return false;
        switch (v.GetValueKind())
        {
            case JsonValueKind.Number: value = v.GetValue<double>(); return true;
            case JsonValueKind.True: value = 1; return true;
            case JsonValueKind.False: value = 0; return true;
            default: return false;
        }
    }
}
