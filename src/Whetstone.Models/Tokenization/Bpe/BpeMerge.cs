namespace Whetstone.Models.Tokenization.Bpe;

/// <summary>
/// Applies BPE merges to one word: repeatedly merge the adjacent pair with the lowest rank, the
/// leftmost one on ties, until no adjacent pair has a merge. Two implementations that must agree:
/// a plain O(n²) scan (the reference, and fastest for short words) and a heap over a linked list,
/// O(n log n), for long words.
/// </summary>
internal static class BpeMerge
{
    /// <summary>Words longer than this use the heap.</summary>
    public const int HeapThreshold = 48;

    /// <summary>Looks up the merge of (left, right): its rank and the id it makes.</summary>
    public delegate bool TryGetMerge(int left, int right, out int rank, out int merged);

    /// <summary>Merges <paramref name="symbols"/> in place; returns the new length.</summary>
    public static int Merge(Span<int> symbols, TryGetMerge merges) =>
        symbols.Length > HeapThreshold ? MergeWithHeap(symbols, merges) : MergeByScan(symbols, merges);

    /// <summary>Reference: scan all pairs for the best merge, apply it, repeat.</summary>
    public static int MergeByScan(Span<int> symbols, TryGetMerge merges)
    {
        int n = symbols.Length;
        while (n > 1)
        {
            int bestRank = int.MaxValue, bestPos = -1, bestId = 0;
            for (int i = 0; i + 1 < n; i++)
                if (merges(symbols[i], symbols[i + 1], out int rank, out int merged) && rank < bestRank)
                    (bestRank, bestPos, bestId) = (rank, i, merged);
            if (bestPos < 0) break;
            symbols[bestPos] = bestId;
            symbols.Slice(bestPos + 2, n - bestPos - 2).CopyTo(symbols.Slice(bestPos + 1));
            n--;
        }
        return n;
    }

    /// <summary>Heap of candidate merges keyed by (rank, position) over a doubly linked list of symbols.</summary>
    public static int MergeWithHeap(Span<int> symbols, TryGetMerge merges)
    {
        int n = symbols.Length;
        var next = new int[n];
        var prev = new int[n];
        for (int i = 0; i < n; i++) { next[i] = i + 1 < n ? i + 1 : -1; prev[i] = i - 1; }
        var heap = new PriorityQueue<(int Pos, int Left, int Right, int Merged), long>();
        void Push(Span<int> s, int pos)
        {
            int right = next[pos];
            if (right >= 0 && merges(s[pos], s[right], out int rank, out int merged))
                heap.Enqueue((pos, s[pos], s[right], merged), ((long)rank << 32) | (uint)pos);
        }
        for (int i = 0; i + 1 < n; i++) Push(symbols, i);

        while (heap.TryDequeue(out var m, out _))
        {
            int right = next[m.Pos];
            // Stale entry: one of the two symbols has merged with something else since it was pushed.
            if (symbols[m.Pos] != m.Left || right < 0 || symbols[right] != m.Right || symbols[m.Pos] < 0) continue;
            symbols[m.Pos] = m.Merged;
            symbols[right] = -1;
            next[m.Pos] = next[right];
            if (next[right] >= 0) prev[next[right]] = m.Pos;
            if (prev[m.Pos] >= 0) Push(symbols, prev[m.Pos]);
            Push(symbols, m.Pos);
        }

        int count = 0;
        for (int i = 0; i >= 0; i = next[i]) symbols[count++] = symbols[i];
        return count;
    }
}
