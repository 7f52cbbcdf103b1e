using System.Text;
using System.Text.Json;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tools;

/// <summary>
/// What <see cref="HermesToolCallParser.Parse"/> read from one assistant turn.
/// </summary>
/// <param name="Content">The text outside the <c>&lt;tool_call&gt;</c> tags, trimmed; null when there is none.</param>
/// <param name="ToolCalls">Well-formed calls in order, with ids <c>call_0</c>, <c>call_1</c>, … per turn.</param>
/// <param name="MalformedToolCalls">Tagged text that could not be read as a call, each with the reason.</param>
public sealed record HermesParseResult(
    string? Content,
    IReadOnlyList<ToolCall> ToolCalls,
    IReadOnlyList<MalformedToolCall> MalformedToolCalls)
{
    /// <summary>This turn as an agent action.</summary>
    public AgentAction ToAgentAction() => new()
    {
        Content = Content,
        ToolCalls = ToolCalls,
        MalformedToolCalls = MalformedToolCalls,
    };
}

/// <summary>
/// Reads tool calls in the Hermes format that Qwen2/Qwen3 and many open models emit:
/// <c>&lt;tool_call&gt;{"name": "calculator", "arguments": {"expression": "2+2"}}&lt;/tool_call&gt;</c>, any number per
/// turn. Whitespace and newlines around the JSON are fine, and <c>arguments</c> may be an object or a JSON string that
/// holds an object. It never throws: what cannot be read becomes a <see cref="MalformedToolCall"/> that says why.
/// </summary>
public static class HermesToolCallParser
{
    /// <summary>The opening tag.</summary>
    public const string OpenTag = "<tool_call>";

    /// <summary>The closing tag.</summary>
    public const string CloseTag = "</tool_call>";

    private static readonly JsonDocumentOptions Lenient = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Splits <paramref name="text"/> into content, tool calls and malformed calls.</summary>
    /// <param name="text">The assistant's text as generated.</param>
    /// <param name="idPrefix">Prefix of the call ids; the n-th well-formed call gets <c>{idPrefix}{n}</c>.</param>
    public static HermesParseResult Parse(string? text, string idPrefix = "call_")
    {
        text ??= "";
        var content = new StringBuilder();
        var calls = new List<ToolCall>();
        var malformed = new List<MalformedToolCall>();

        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf(OpenTag, position, StringComparison.Ordinal);
            if (open < 0)
            {
                content.Append(text, position, text.Length - position);
                break;
            }
            content.Append(text, position, open - position);

            var bodyStart = open + OpenTag.Length;
            var close = text.IndexOf(CloseTag, bodyStart, StringComparison.Ordinal);
            var nextOpen = text.IndexOf(OpenTag, bodyStart, StringComparison.Ordinal);
            if (close < 0 || (nextOpen >= 0 && nextOpen < close))
            {
                // The tag never closes before the text (or the next call) begins: generation was cut or the model
                // forgot the closing tag. The body up to the next opening tag is what it meant as this call.
                var end = nextOpen >= 0 ? nextOpen : text.Length;
                malformed.Add(new MalformedToolCall(text[open..end],
                    $"unterminated {OpenTag} tag: close each call with {CloseTag}"));
                position = end;
                continue;
            }

            var raw = text[open..(close + CloseTag.Length)];
            var body = text[bodyStart..close];
            if (TryReadCallSafely(body, out var name, out var arguments, out var error))
                calls.Add(new ToolCall($"{idPrefix}{calls.Count}", name, arguments));
            else
                malformed.Add(new MalformedToolCall(raw, error));
            position = close + CloseTag.Length;
        }

        var outside = content.ToString().Trim();
        return new HermesParseResult(outside.Length == 0 ? null : outside, calls, malformed);
    }

    private static bool TryReadCallSafely(string body, out string name, out string arguments, out string error)
    {
        try
        {
            return TryReadCall(body, out name, out arguments, out error);
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json reports some invalid text (e.g. a lone surrogate escape) only when a string is read.
            name = "";
            arguments = "{}";
            error = $"tool call could not be read: {FirstSentence(e.Message)}";
            return false;
        }
    }

    private static bool TryReadCall(string body, out string name, out string arguments, out string error)
    {
        name = "";
        arguments = "{}";
        var json = StripCodeFence(body.Trim());
        if (json.Length == 0)
        {
            error = "empty tool call: write {\"name\": ..., \"arguments\": {...}} between the tags";
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Lenient);
        }
        catch (JsonException e)
        {
            error = $"tool call is not valid JSON: {FirstSentence(e.Message)}";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"tool call must be a JSON object with \"name\" and \"arguments\", got {ToolArgumentValidator.Describe(root)}";
                return false;
            }
            if (!root.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(nameElement.GetString()))
            {
                error = "tool call has no \"name\": write {\"name\": \"<tool>\", \"arguments\": {...}}";
                return false;
            }
            name = nameElement.GetString()!.Trim();

            if (!root.TryGetProperty("arguments", out var args) || args.ValueKind == JsonValueKind.Null)
            {
                error = "";
                return true; // A tool without parameters may be called without arguments.
            }
            if (args.ValueKind == JsonValueKind.Object)
            {
                arguments = args.GetRawText();
                error = "";
                return true;
            }
            if (args.ValueKind == JsonValueKind.String && TryObjectInString(args.GetString()!, out arguments))
            {
                error = "";
                return true;
            }
            error = $"\"arguments\" of {name} must be a JSON object, got {ToolArgumentValidator.Describe(args)}";
            return false;
        }
    }

    /// <summary>Accepts OpenAI-style string-encoded arguments such as <c>"{\"x\": 1}"</c>.</summary>
    private static bool TryObjectInString(string text, out string arguments)
    {
        arguments = text.Trim();
        if (arguments.Length == 0)
        {
            arguments = "{}";
            return true;
        }
        try
        {
            using var inner = JsonDocument.Parse(arguments, Lenient);
            return inner.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string StripCodeFence(string body)
    {
        if (!body.StartsWith("```", StringComparison.Ordinal) || !body.EndsWith("```", StringComparison.Ordinal) || body.Length < 6)
            return body;
        var inner = body[3..^3];
        var newline = inner.IndexOf('\n');
        // Drop a language tag such as ```json.
        if (newline >= 0 && inner[..newline].Trim().All(char.IsLetter))
            inner = inner[(newline + 1)..];
        return inner.Trim();
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..(cut + 1)] : message;
    }
}
