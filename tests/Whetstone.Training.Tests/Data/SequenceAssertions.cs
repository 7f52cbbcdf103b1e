using Whetstone.Models.Tokenization;
using Whetstone.Training.Data;

namespace Whetstone.Training.Tests.Data;

/// <summary>Checks shared by the tokenization tests.</summary>
internal static class SequenceAssertions
{
    /// <summary>The text of each completion span, in order.</summary>
    public static List<string> CompletionTexts(Tokenizer tokenizer, TokenizedSequence sequence) =>
        sequence.Spans.Where(s => s.Kind == TokenSpanKind.Completion)
            .Select(s => tokenizer.Decode(sequence.Ids[s.Start..s.End])).ToList();

    /// <summary>All context text, spans joined.</summary>
    public static string ContextText(Tokenizer tokenizer, TokenizedSequence sequence) =>
        string.Concat(sequence.Spans.Where(s => s.Kind == TokenSpanKind.Context).Select(s => tokenizer.Decode(sequence.Ids[s.Start..s.End])));

    /// <summary>The spans tile the sequence, and the mask/turn arrays agree with them token by token.</summary>
    public static void SpansAgreeWithMask(TokenizedSequence sequence)
    {
        int at = 0;
        foreach (var span in sequence.Spans)
        {
            Assert.Equal(at, span.Start);
            for (int t = span.Start; t < span.End; t++)
            {
                float expected = span.Kind == TokenSpanKind.Completion && t > 0 ? span.Weight : 0f;
                Assert.Equal(expected, sequence.LossMask[t]);
                Assert.Equal(span.Kind == TokenSpanKind.Completion ? span.TurnIndex : -1, sequence.TurnIndex[t]);
            }
            at = span.End;
        }
        Assert.Equal(sequence.Length, at);
    }

    /// <summary>The tokens with mask 1 decode to exactly the concatenated expected completions.</summary>
    public static void MaskedTokensDecodeTo(Tokenizer tokenizer, TokenizedSequence sequence, IEnumerable<string> expected)
    {
        var masked = sequence.Ids.Where((_, t) => sequence.LossMask[t] != 0f);
        Assert.Equal(string.Concat(expected), tokenizer.Decode(masked));
    }
}
