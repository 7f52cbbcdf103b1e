using System.Text;
using Whetstone.Models.Tokenization.Bpe;
using Whetstone.Models.Tokenization.Normalization;
using Whetstone.Models.Tokenization.PreTokenization;

namespace Whetstone.Models.Tokenization.Training;

/// <summary>
/// Learns byte-level BPE merges from a corpus, for training tiny models from scratch. Simplifies the
/// tokenizers trainer to what byte-level BPE needs: the initial alphabet is always the 256 bytes
/// (so nothing is ever unknown), words are the pieces of the Qwen pre-tokenizer regex, and the most
/// frequent adjacent pair (ties: the smaller ids) is merged until the vocabulary is full.
/// <code>
/// var trained = new BpeTrainer(new BpeTrainerOptions { VocabSize = 2048 }).Train(File.ReadLines("corpus.txt"));
/// trained.Save("out/tokenizer.json");
/// var tok = Tokenizer.Load("out");
/// </code>
/// Incremental: each merge only revisits the words that contain the pair, with pair counts updated
/// in place and a lazy max-heap of candidates; a few MB of text trains in seconds.
/// </summary>
public sealed class BpeTrainer(BpeTrainerOptions options)
{
    /// <summary>The settings.</summary>
    public BpeTrainerOptions Options { get; } = options;

    /// <summary>Trains on <paramref name="corpus"/> (each string a document; added tokens in it are not learned from).</summary>
    public TrainedBpe Train(IEnumerable<string> corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var added = Options.SpecialTokens.Select(t => (t, true)).Concat(Options.AddedTokens.Select(t => (t, false))).ToList();
        int mergeBudget = Options.VocabSize - 256 - added.Count;
        if (mergeBudget < 0)
            throw new ArgumentException($"VocabSize {Options.VocabSize} is smaller than 256 bytes + {added.Count} added tokens.", nameof(corpus));

        var words = CountWords(corpus, added.Select(a => a.Item1).ToList());
        var merges = LearnMerges(words, mergeBudget);

        var tokens = new List<string>(256 + merges.Count);
        for (int b = 0; b < 256; b++) tokens.Add(ByteLevelAlphabet.ByteToChar[b].ToString());
        foreach (var (l, r) in merges) tokens.Add(tokens[l] + tokens[r]);
        var mergeStrings = merges.Select(m => (tokens[m.Left], tokens[m.Right])).ToList();
        var addedTokens = added.Select((a, k) => new AddedToken(tokens.Count + k, a.Item1, a.Item2)).ToList();
        return new TrainedBpe(tokens, mergeStrings, addedTokens, Options.Pattern, Options.Nfc);
    }

    /// <summary>Distinct words (pre-tokenizer pieces) with their counts, as byte-symbol ids.</summary>
    List<(int[] Symbols, long Count)> CountWords(IEnumerable<string> corpus, List<string> addedTokens)
    {
        var split = new SplitPreTokenizer(OnigurumaPattern.Compile(Options.Pattern), SplitBehavior.Isolated, invert: false);
        var matcher = new AddedTokenMatcher(addedTokens.Select(t => (t, new AddedToken(0, t, true))));
        var counts = new Dictionary<string, long>();
        var countsBySpan = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        var segments = new List<(int Start, int Length, int Id)>();
        var pieces = new List<Piece>();
        foreach (var raw in corpus)
        {
            if (string.IsNullOrEmpty(raw)) continue;
            string text = Options.Nfc ? UnicodeNormalizer.Normalize(raw, NormalizationForm.FormC) : raw;
            segments.Clear();
            matcher.Split(text, includeSpecial: true, segments);
            foreach (var (start, length, id) in segments)
            {
                if (id >= 0) continue; // an added token: not material for merges
                pieces.Clear();
                split.Split(new Piece(text, start, length), pieces);
                foreach (var p in pieces)
                {
                    if (countsBySpan.TryGetValue(p.Span, out long c)) countsBySpan[p.Span] = c + 1;
                    else counts[p.Span.ToString()] = 1;
                }
            }
        }
        return counts.OrderBy(kv => kv.Key, StringComparer.Ordinal) // fixed order: results do not depend on hashing
            .Select(kv => (Encoding.UTF8.GetBytes(kv.Key).Select(b => (int)b).ToArray(), kv.Value)).ToList();
    }

    static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    /// <summary>The merges, as (left id, right id); merge k makes id 256 + k.</summary>
    List<(int Left, int Right)> LearnMerges(List<(int[] Symbols, long Count)> words, int budget)
    {
        var symbols = words.Select(w => new List<int>(w.Symbols)).ToList();
        var pairCounts = new Dictionary<long, long>(Bpe.PairKeyComparer.Instance);
        var pairWords = new Dictionary<long, HashSet<int>>(Bpe.PairKeyComparer.Instance);
        for (int w = 0; w < symbols.Count; w++)
            for (int i = 0; i + 1 < symbols[w].Count; i++)
            {
                long key = Key(symbols[w][i], symbols[w][i + 1]);
                pairCounts[key] = pairCounts.GetValueOrDefault(key) + words[w].Count;
                (pairWords.TryGetValue(key, out var set) ? set : pairWords[key] = new()).Add(w);
            }

        // Max-heap on count, then the smaller pair: priority (-count, left, right). Entries go stale
        // when counts change; a popped entry is only used if its count is still current.
        var heap = new PriorityQueue<long, (long NegCount, long Pair)>();
        foreach (var (key, count) in pairCounts) heap.Enqueue(key, (-count, key));

        var merges = new List<(int, int)>();
        var touched = new HashSet<long>(Bpe.PairKeyComparer.Instance);
        while (merges.Count < budget && heap.TryDequeue(out long pair, out var priority))
        {
            long count = pairCounts.GetValueOrDefault(pair);
            if (count != -priority.NegCount) { if (count > 0) heap.Enqueue(pair, (-count, pair)); continue; }
            if (count < Math.Max(1, Options.MinFrequency)) break;
            int left = (int)(pair >> 32), right = (int)pair, merged = 256 + merges.Count;
            merges.Add((left, right));
            touched.Clear();
            foreach (int w in pairWords[pair].ToArray())
                MergeWord(symbols[w], w, words[w].Count, left, right, merged, pairCounts, pairWords, touched);
            pairCounts.Remove(pair);
            pairWords.Remove(pair);
            foreach (long t in touched)
                if (pairCounts.TryGetValue(t, out long c) && c > 0) heap.Enqueue(t, (-c, t));
        }
        return merges;
    }

    static void MergeWord(List<int> s, int w, long freq, int left, int right, int merged,
        Dictionary<long, long> pairCounts, Dictionary<long, HashSet<int>> pairWords, HashSet<long> touched)
    {
        void Add(long key, long delta)
        {
            long c = pairCounts.GetValueOrDefault(key) + delta;
            pairCounts[key] = c;
            touched.Add(key);
            if (delta > 0) (pairWords.TryGetValue(key, out var set) ? set : pairWords[key] = new()).Add(w);
        }
        for (int i = 0; i + 1 < s.Count; i++)
        {
            if (s[i] != left || s[i + 1] != right) continue;
            if (i > 0) { Add(Key(s[i - 1], left), -freq); Add(Key(s[i - 1], merged), freq); }
            if (i + 2 < s.Count) { Add(Key(right, s[i + 2]), -freq); Add(Key(merged, s[i + 2]), freq); }
            s[i] = merged;
            s.RemoveAt(i + 1);
        }
    }
}
