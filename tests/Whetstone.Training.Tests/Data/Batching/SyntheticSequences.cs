using Whetstone.Training.Data;

namespace Whetstone.Training.Tests.Data.Batching;

/// <summary>Sequences with recognisable contents: ids are 1000·(index+1) + position, the second half is a completion.</summary>
internal static class SyntheticSequences
{
    public static TokenizedSequence Make(int index, int length, bool logProbs = false)
    {
        var ids = Enumerable.Range(0, length).Select(p => 1000 * (index + 1) + p).ToArray();
        int half = length / 2;
        var mask = Enumerable.Range(0, length).Select(p => p >= half && p > 0 ? 1f : 0f).ToArray();
        var turn = Enumerable.Range(0, length).Select(p => p >= half ? 0 : -1).ToArray();
        var spans = new List<TokenSpan> { new(TokenSpanKind.Context, 0, half, -1, -1, 0f) };
        if (length > half) spans.Add(new TokenSpan(TokenSpanKind.Completion, half, length - half, 1, 0, 1f));
        var old = logProbs ? Enumerable.Range(0, length).Select(p => p >= half ? -0.1f * (index + 1) : 0f).ToArray() : null;
        return new TokenizedSequence(ids, mask, turn, spans.Where(s => s.Length > 0).ToList(), old, $"s{index}");
    }

    public static List<TokenizedSequence> Many(int count, int seed, bool logProbs = false)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => Make(i, random.Next(3, 60), logProbs)).ToList();
    }
}
