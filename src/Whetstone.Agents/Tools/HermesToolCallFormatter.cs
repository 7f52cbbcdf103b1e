using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Whetstone.Agents.Messages;

namespace Whetstone.Agents.Tools;

/// <summary>
/// Renders tool calls as Hermes text, the inverse of <see cref="HermesToolCallParser"/>: content first, then one
/// <c>&lt;tool_call&gt;</c> block per call holding <c>{"name": …, "arguments": {…}}</c>. Used to make SFT targets from
/// expert trajectories for models whose chat template has no native tool-call slot.
/// </summary>
public static class HermesToolCallFormatter
{
    // Keep '+', '<' and non-ASCII text readable: the output is a training target, not HTML.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The assistant text for <paramref name="content"/> followed by <paramref name="toolCalls"/>.</summary>
    public static string Format(string? content, IEnumerable<ToolCall> toolCalls)
    {
        var text = new StringBuilder();
        if (!string.IsNullOrEmpty(content))
            text.Append(content);
        foreach (var call in toolCalls)
        {
            if (text.Length > 0)
                text.Append('\n');
            text.Append(HermesToolCallParser.OpenTag).Append('\n');
            text.Append(FormatCall(call));
            text.Append('\n').Append(HermesToolCallParser.CloseTag);
        }
        return text.ToString();
    }

    /// <summary>One call as <c>{"name": "…", "arguments": {…}}</c>, keeping the argument JSON as the model wrote it.</summary>
    public static string FormatCall(ToolCall call)
    {
        var name = JsonSerializer.Serialize(call.Name, Readable);
        var arguments = IsJsonObject(call.ArgumentsJson) ? call.ArgumentsJson.Trim() : JsonSerializer.Serialize(call.ArgumentsJson, Readable);
        return $"{{\"name\": {name}, \"arguments\": {arguments}}}";
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
