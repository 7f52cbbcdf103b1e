using Whetstone.Models.Tokenization.Bpe;

namespace Whetstone.Models.Tests.Tokenization;

/// <summary>The heap merge (long words) must equal the plain scan (the reference) on any input.</summary>
public class BpeMergeTests
{
    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 60)]
    [InlineData(3, 300)]
    [InlineData(4, 2000)]
    public void HeapMergeEqualsScanMerge(int seed, int length)
    {
        var rng = new Random(seed);
        // Small alphabet (0..3) and random merges among the first ids so that merges chain and overlap.
        var table = new Dictionary<(int, int), (int Rank, int Merged)>();
        int next = 4;
        for (int rank = 0; rank < 40; rank++)
        {
            var pair = (rng.Next(next), rng.Next(next));
            if (table.TryAdd(pair, (rank, next))) next++;
        }
        BpeMerge.TryGetMerge lookup = (int l, int r, out int rank, out int merged) =>
        {
            bool found = table.TryGetValue((l, r), out var m);
            (rank, merged) = (m.Rank, m.Merged);
            return found;
        };
        for (int trial = 0; trial < 50; trial++)
        {
            var word = Enumerable.Range(0, length).Select(_ => rng.Next(4)).ToArray();
            var byScan = (int[])word.Clone();
            var byHeap = (int[])word.Clone();
            int n1 = BpeMerge.MergeByScan(byScan, lookup);
            int n2 = BpeMerge.MergeWithHeap(byHeap, lookup);
            Assert.Equal(byScan[..n1], byHeap[..n2]);
        }
    }

    [Fact]
    public void RepeatedPairsMergeLeftmostFirst()
    {
        // "a a a" with the single merge (a, a) → "aa a", not "a aa".
        BpeMerge.TryGetMerge lookup = (int l, int r, out int rank, out int merged) =>
        {
            (rank, merged) = (0, 9);
            return l == 1 && r == 1;
        };
        int[] word = [1, 1, 1];
        int n = BpeMerge.MergeByScan(word, lookup);
        Assert.Equal([9, 1], word[..n]);
        word = [1, 1, 1];
        n = BpeMerge.MergeWithHeap(word, lookup);
        Assert.Equal([9, 1], word[..n]);
    }
}
