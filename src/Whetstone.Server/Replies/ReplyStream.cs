namespace Whetstone.Server.Replies;

/// <summary>
/// Incremental view of a reply while it is generated: after each <see cref="Append"/> it says which reasoning and
/// content text is now certain, so a streaming response can send it. Certain means that the final
/// <see cref="ReplyParser.Parse"/> of the whole text starts with everything sent so far: text that might still become
/// a tag (a tail that is a prefix of <c>&lt;tool_call&gt;</c>, of the reasoning tags or of a stop string) is held
/// back, content stops streaming at the first tool call (its remainder comes with the final chunk), and trailing
/// whitespace of the content is held because the parser trims it.
/// </summary>
internal sealed class ReplyStream(ReplyParser parser, bool promptOpensReasoning)
{
    private readonly System.Text.StringBuilder _raw = new();
    private int _reasoningSent, _contentSent;
    private string _reasoningText = "", _contentText = "";
    private bool _contentFrozen;

    /// <summary>All text generated so far.</summary>
    public string Text => _raw.ToString();

    /// <summary>Adds newly decoded text; returns the reasoning and content deltas that became certain (either may be empty).</summary>
    public (string Reasoning, string Content) Append(string text)
    {
        _raw.Append(text);
        var raw = _raw.ToString();
        int safe = SafeLength(raw);
        var visible = raw[..safe];

        string reasoning = _reasoningText, content = _contentText;
        if (parser.ReasoningOpenTag is not null && !promptOpensReasoning)
        {
            // Until the first non-blank text shows whether the reply opens with a reasoning block, send nothing.
            var trimmed = visible.TrimStart();
            if (trimmed.Length < parser.ReasoningOpenTag.Length && parser.ReasoningOpenTag.StartsWith(trimmed, StringComparison.Ordinal))
                return ("", "");
        }
        int end = parser.ReasoningEnd(visible, promptOpensReasoning, out int bodyStart, out int bodyEnd);
        string contentPart = visible;
        if (end >= 0)
        {
            bool closed = bodyEnd < visible.Length;
            // The parser trims the reasoning's newlines at both ends: hold trailing ones, they may be the last.
            reasoning = visible[bodyStart..bodyEnd].Trim('\n');
            contentPart = closed ? visible[end..] : "";
        }
        if (!_contentFrozen)
        {
            int call = contentPart.IndexOf(Whetstone.Agents.Tools.HermesToolCallParser.OpenTag, StringComparison.Ordinal);
            if (call >= 0) { contentPart = contentPart[..call]; _contentFrozen = true; }
            content = contentPart.Trim();
        }
        var reasoningDelta = reasoning.Length > _reasoningSent && reasoning.StartsWith(_reasoningText, StringComparison.Ordinal)
            ? reasoning[_reasoningSent..] : "";
        var contentDelta = content.Length > _contentSent && content.StartsWith(_contentText, StringComparison.Ordinal)
            ? content[_contentSent..] : "";
        if (reasoningDelta.Length > 0) { _reasoningText = reasoning; _reasoningSent = reasoning.Length; }
        if (contentDelta.Length > 0) { _contentText = content; _contentSent = content.Length; }
        return (reasoningDelta, contentDelta);
    }

    /// <summary>
    /// The final reply, and what must still be sent so that the streamed reasoning and content add up to it.
    /// </summary>
    public (AssistantReply Reply, string ReasoningRest, string ContentRest) Finish()
    {
        var reply = parser.Parse(_raw.ToString(), promptOpensReasoning);
        return (reply, Rest(reply.Reasoning, _reasoningText), Rest(reply.Content, _contentText));
    }

    private static string Rest(string? final, string sent)
    {
        final ??= "";
        // By construction the final text starts with what was sent; if it ever did not, send the whole final text
        // rather than lose it (the concatenation would then repeat a prefix, which the tests would catch).
        return final.StartsWith(sent, StringComparison.Ordinal) ? final[sent.Length..] : final;
    }

    /// <summary>Length of the prefix of <paramref name="raw"/> that no later text can turn into a tag or a stop string.</summary>
    private int SafeLength(string raw)
    {
        var cut = parser.CutAtStop(raw);
        int safe = cut.Length;
        if (cut.Length < raw.Length) return safe;
        var markers = new List<string>(parser.StopStrings) { Whetstone.Agents.Tools.HermesToolCallParser.OpenTag };
        if (parser.ReasoningOpenTag is not null) markers.Add(parser.ReasoningOpenTag);
        if (parser.ReasoningCloseTag is not null) markers.Add(parser.ReasoningCloseTag);
        foreach (var m in markers)
            for (int k = Math.Min(m.Length - 1, raw.Length); k > 0; k--)
                if (raw.AsSpan(raw.Length - k).SequenceEqual(m.AsSpan(0, k)))
                {
                    safe = Math.Min(safe, raw.Length - k);
                    break;
                }
        return safe;
    }
}
