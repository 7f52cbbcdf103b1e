namespace Whetstone.Models.Tokenization;

/// <summary>
/// Finds added tokens in text: leftmost match first, the longest token at that position, as the
/// Aho-Corasick leftmost-longest search of tokenizers does. Candidates are bucketed by first char.
/// </summary>
internal sealed class AddedTokenMatcher
{
    readonly Dictionary<char, (string Content, AddedToken Token)[]> _byFirstChar;

    /// <summary>Indexes <paramref name="tokens"/> by their (possibly normalized) content.</summary>
    public AddedTokenMatcher(IEnumerable<(string Content, AddedToken Token)> tokens)
    {
        _byFirstChar = tokens.Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
    }

    /// <summary>True when there is nothing to match.</summary>
    public bool IsEmpty => _byFirstChar.Count == 0;

    /// <summary>
    /// Cuts <paramref name="text"/> into runs of plain text (Id = -1) and added tokens (with their id),
    /// in order. With <paramref name="includeSpecial"/> false, special tokens are left as plain text.
    /// </summary>
    public void Split(string text, bool includeSpecial, List<(int Start, int Length, int Id)> output)
    {
        int plainStart = 0;
        for (int i = 0; i < text.Length;)
        {
            if (!_byFirstChar.TryGetValue(text[i], out var candidates)) { i++; continue; }
            (string Content, AddedToken Token)? found = null;
            foreach (var c in candidates)
                if ((includeSpecial || !c.Token.Special) && text.AsSpan(i).StartsWith(c.Content, StringComparison.Ordinal)) { found = c; break; }
            if (found is not { } m) { i++; continue; }
            int start = i, stop = i + m.Content.Length;
            if (m.Token.SingleWord && !(IsBoundary(text, start - 1) && IsBoundary(text, stop))) { i = stop; continue; }
            if (m.Token.LStrip) while (start > plainStart && char.IsWhiteSpace(text[start - 1])) start--;
            if (m.Token.RStrip) while (stop < text.Length && char.IsWhiteSpace(text[stop])) stop++;
            if (start > plainStart) output.Add((plainStart, start - plainStart, -1));
            output.Add((start, stop - start, m.Token.Id));
            plainStart = i = stop;
        }
        if (plainStart < text.Length) output.Add((plainStart, text.Length - plainStart, -1));
    }

    static bool IsBoundary(string text, int index) => index < 0 || index >= text.Length || !char.IsLetterOrDigit(text[index]);
}
