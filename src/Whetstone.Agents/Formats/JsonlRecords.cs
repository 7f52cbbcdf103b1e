using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whetstone.Agents.Formats;

/// <summary>
/// Line-by-line access to JSONL files: each non-blank line is one JSON object. Reading streams (one line in memory
/// at a time) and reports bad lines as <c>file:line: …</c>.
/// </summary>
public static class JsonlRecords
{
    /// <summary>
    /// Serializer settings for every line Whetstone writes: compact, and non-ASCII text left readable (JSONL files
    /// are data, never embedded in HTML, so the relaxed encoder is safe).
    /// </summary>
    public static JsonSerializerOptions LineOptions { get; } = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>One JSON object as a single line of text, without the trailing newline.</summary>
    public static string ToLine(JsonObject record) => record.ToJsonString(LineOptions);

    /// <summary>Parses one line into a JSON object.</summary>
    /// <exception cref="FormatFieldException">The line is not valid JSON or not an object (field <c>(line)</c>).</exception>
    public static JsonObject ParseLine(string line)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
            if (node is JsonObject o)
            {
                _ = o.Count; // materializes the properties, which is where duplicate keys are detected
                return o;
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new FormatFieldException("(line)", $"not valid JSON: {e.Message}");
        }
        throw new FormatFieldException("(line)", $"expected a JSON object, found {JsonFields.Describe(node)}");
    }

    /// <summary>
    /// The records of <paramref name="path"/> with their 1-based line numbers, skipping blank lines. Streams: the
    /// file is read as the sequence is enumerated.
    /// </summary>
    /// <exception cref="JsonlFormatException">A line is not a JSON object.</exception>
    public static IEnumerable<(int Line, JsonObject Record)> Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        foreach (var item in Read(reader, path)) yield return item;
    }

    /// <summary>The records read from <paramref name="reader"/>; <paramref name="name"/> names the source in errors.</summary>
    public static IEnumerable<(int Line, JsonObject Record)> Read(TextReader reader, string name)
    {
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonObject record;
            try
            {
                record = ParseLine(line);
            }
            catch (FormatFieldException e)
            {
                throw new JsonlFormatException(name, lineNumber, e.Field, e.Problem, e);
            }
            yield return (lineNumber, record);
        }
    }
}
