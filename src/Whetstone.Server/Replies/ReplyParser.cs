using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;

namespace Whetstone.Server.Replies;

/// <summary>
/// Splits generated assistant text into reasoning, content and tool calls the way the streaming path can reproduce
/// exactly: a reasoning block is recognised only when the prompt opened it or the reply starts with the open tag
/// (so text already streamed as content never turns into reasoning later); the text is cut at the first stop string
/// (OpenAI leaves stop strings out of the reply); the rest goes through <see cref="HermesToolCallParser"/>.
/// A tool call that cannot be read is kept as text at the end of the content, so the client still sees it.
/// </summary>
internal sealed class ReplyParser(string? reasoningOpenTag, string? reasoningCloseTag, IReadOnlyList<string> stopStrings, string toolCallIdPrefix)
{
    /// <summary>The reasoning open tag, or null when the template has none.</summary>
    public string? ReasoningOpenTag { get; } = string.IsNullOrEmpty(reasoningOpenTag) || string.IsNullOrEmpty(reasoningCloseTag) ? null : reasoningOpenTag;

    /// <summary>The reasoning close tag, or null when the template has none.</summary>
    public string? ReasoningCloseTag { get; } = string.IsNullOrEmpty(reasoningOpenTag) || string.IsNullOrEmpty(reasoningCloseTag) ? null : reasoningCloseTag;

    /// <summary>Stop strings of the request (empty ones ignored).</summary>
    public IReadOnlyList<string> StopStrings { get; } = stopStrings.Where(s => s.Length > 0).ToArray();

    /// <summary>Cuts <paramref name="text"/> before the first occurrence of any stop string.</summary>
    public string CutAtStop(string text)
    {
        int cut = text.Length;
        foreach (var s in StopStrings)
        {
            int i = text.IndexOf(s, StringComparison.Ordinal);
            if (i >= 0 && i < cut) cut = i;
        }
        return text[..cut];
    }

    /// <summary>
    /// Where the reasoning block of <paramref name="text"/> (already cut at stop) ends: −1 when there is none; the
    /// index just past the close tag, or <c>text.Length</c> when the block never closes. <paramref name="bodyStart"/>
    /// is where the reasoning text begins.
    /// </summary>
    public int ReasoningEnd(string text, bool promptOpensReasoning, out int bodyStart, out int bodyEnd)
    {
        bodyStart = bodyEnd = 0;
        if (ReasoningOpenTag is null || ReasoningCloseTag is null) return -1;
        if (!promptOpensReasoning)
        {
            int lead = LeadingWhitespace(text);
            if (!text.AsSpan(lead).StartsWith(ReasoningOpenTag, StringComparison.Ordinal)) return -1;
            bodyStart = lead + ReasoningOpenTag.Length;
        }
        int close = text.IndexOf(ReasoningCloseTag, bodyStart, StringComparison.Ordinal);
        bodyEnd = close < 0 ? text.Length : close;
        return close < 0 ? text.Length : close + ReasoningCloseTag.Length;
    }

    /// <summary>Parses the whole generated text (end-of-turn token excluded).</summary>
    public AssistantReply Parse(string generatedText, bool promptOpensReasoning)
    {
        var text = CutAtStop(generatedText);
        string? reasoning = null;
        int end = ReasoningEnd(text, promptOpensReasoning, out int bodyStart, out int bodyEnd);
        if (end >= 0)
        {
            reasoning = text[bodyStart..bodyEnd].Trim('\n');
            if (reasoning.Length == 0) reasoning = null;
            text = text[end..];
        }
        var parsed = HermesToolCallParser.Parse(text, toolCallIdPrefix);
        var content = parsed.Content;
        if (parsed.MalformedToolCalls.Count > 0)
        {
            var raw = string.Join("\n", parsed.MalformedToolCalls.Select(m => m.RawText));
            content = content is null ? raw : content + "\n" + raw;
        }
        return new AssistantReply(content, reasoning, parsed.ToolCalls);
    }

    private static int LeadingWhitespace(string text)
    {
        int i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        return i;
    }
}
