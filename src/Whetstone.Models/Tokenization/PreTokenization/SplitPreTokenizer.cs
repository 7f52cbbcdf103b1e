using System.Text.RegularExpressions;

namespace Whetstone.Models.Tokenization.PreTokenization;

/// <summary>What a Split pre-tokenizer does with the matches of its pattern (tokenizers' SplitDelimiterBehavior).</summary>
internal enum SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous }

/// <summary>tokenizer.json <c>{"type": "Split", "pattern": {...}, "behavior": ..., "invert": ...}</c>.</summary>
internal sealed class SplitPreTokenizer(Regex pattern, SplitBehavior behavior, bool invert) : PreTokenizer
{
    // Scratch space per thread: a Tokenizer is shared by threads that encode at once.
    [ThreadStatic] static List<(int Start, int End, bool IsMatch)>? _spans;

    /// <inheritdoc />
    public override void Split(Piece piece, List<Piece> output)
    {
        var spans = _spans ??= new();
        spans.Clear();
        int previous = 0;
        foreach (var m in pattern.EnumerateMatches(piece.Span))
        {
            if (m.Length == 0) continue;
            if (m.Index > previous) spans.Add((previous, m.Index, invert));
            spans.Add((m.Index, m.Index + m.Length, !invert));
            previous = m.Index + m.Length;
        }
        if (previous < piece.Length) spans.Add((previous, piece.Length, invert));

        int pendingStart = -1; // start of a match waiting to merge with the next span
        for (int k = 0; k < spans.Count; k++)
        {
            var (start, end, isMatch) = spans[k];
            switch (behavior)
            {
                case SplitBehavior.Isolated:
                    Emit(piece, start, end, output);
                    break;
                case SplitBehavior.Removed:
                    if (!isMatch) Emit(piece, start, end, output);
                    break;
                case SplitBehavior.MergedWithPrevious:
                    // A match joins the span before it; a non-match waits to see if a match follows.
                    if (k + 1 < spans.Count && spans[k + 1].IsMatch && !isMatch) { pendingStart = start; continue; }
                    Emit(piece, pendingStart >= 0 ? pendingStart : start, end, output);
                    pendingStart = -1;
                    break;
                case SplitBehavior.MergedWithNext:
                    if (isMatch && k + 1 < spans.Count && !spans[k + 1].IsMatch) { pendingStart = start; continue; }
                    Emit(piece, pendingStart >= 0 ? pendingStart : start, end, output);
                    pendingStart = -1;
                    break;
                case SplitBehavior.Contiguous:
                    if (isMatch && k + 1 < spans.Count && spans[k + 1].IsMatch) { if (pendingStart < 0) pendingStart = start; continue; }
                    Emit(piece, pendingStart >= 0 ? pendingStart : start, end, output);
                    pendingStart = -1;
                    break;
            }
        }
    }

    static void Emit(Piece piece, int start, int end, List<Piece> output)
    {
        if (end > start) output.Add(new Piece(piece.Text, piece.Start + start, end - start));
    }
}
