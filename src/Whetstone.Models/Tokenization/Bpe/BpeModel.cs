using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace Whetstone.Models.Tokenization.Bpe;

/// <summary>
/// The <c>"model": {"type": "BPE", …}</c> part of tokenizer.json: vocabulary, merge ranks, and the
/// encoding of one pre-tokenized piece into ids. Pieces are cached (most words repeat), so the merge
/// loop runs once per distinct word.
/// </summary>
internal sealed class BpeModel
{
    const int CacheLimit = 250_000;

    readonly Dictionary<string, int> _vocab;
    readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _vocabBySpan;
    readonly Dictionary<long, long> _merges; // (left << 32 | right) → (rank << 32 | merged)
    readonly int[] _byteIds = new int[256];   // id of each single-byte symbol, -1 if missing
    readonly ConcurrentDictionary<string, int[]> _cache = new();
    readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _cacheBySpan;
    readonly BpeMerge.TryGetMerge _tryGetMerge;
    int _cacheCount;

    /// <summary>Builds the model. <paramref name="merges"/> is in rank order, as tokens (not ids).</summary>
    public BpeModel(Dictionary<string, int> vocab, IReadOnlyList<(string Left, string Right)> merges, BpeOptions options)
    {
        _vocab = vocab;
        _vocabBySpan = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _cacheBySpan = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
        Options = options;
        _merges = new Dictionary<long, long>(merges.Count, PairKeyComparer.Instance);
        for (int rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            if (!vocab.TryGetValue(left, out int l)) throw new MergeException(rank, $"'{left}' is not in the vocabulary");
            if (!vocab.TryGetValue(right, out int r)) throw new MergeException(rank, $"'{right}' is not in the vocabulary");
            if (!vocab.TryGetValue(left + right, out int m)) throw new MergeException(rank, $"'{left + right}' is not in the vocabulary");
            _merges.TryAdd(((long)l << 32) | (uint)r, ((long)rank << 32) | (uint)m);
        }
        for (int b = 0; b < 256; b++)
            _byteIds[b] = vocab.TryGetValue(ByteLevelAlphabet.ByteToChar[b].ToString(), out int id) ? id : -1;
        _tryGetMerge = TryGetMerge;
        MergeCount = merges.Count;
    }

    /// <summary>Model options from tokenizer.json.</summary>
    public BpeOptions Options { get; }

    /// <summary>Token → id.</summary>
    public IReadOnlyDictionary<string, int> Vocab => _vocab;

    /// <summary>Number of merges.</summary>
    public int MergeCount { get; }

    bool TryGetMerge(int left, int right, out int rank, out int merged)
    {
        if (_merges.TryGetValue(((long)left << 32) | (uint)right, out long v))
        {
            rank = (int)(v >> 32);
            merged = (int)v;
            return true;
        }
        rank = merged = 0;
        return false;
    }

    /// <summary>Appends the ids of one piece (raw text, not yet byte-mapped) to <paramref name="output"/>.</summary>
    public void Encode(ReadOnlySpan<char> piece, bool byteLevel, List<int> output)
    {
        if (_cacheBySpan.TryGetValue(piece, out var cached)) { output.AddRange(cached); return; }
        var ids = byteLevel ? EncodeByteLevel(piece) : EncodeChars(piece);
        // ConcurrentDictionary.Count takes every lock; keep our own approximate count instead.
        if (Interlocked.Increment(ref _cacheCount) > CacheLimit)
        {
            _cache.Clear();
            Interlocked.Exchange(ref _cacheCount, 0);
        }
        _cacheBySpan.TryAdd(piece, ids);
        output.AddRange(ids);
    }


    int[] EncodeByteLevel(ReadOnlySpan<char> piece)
    {
        int maxBytes = Encoding.UTF8.GetMaxByteCount(piece.Length);
        byte[]? rentedBytes = maxBytes > 1024 ? ArrayPool<byte>.Shared.Rent(maxBytes) : null;
        Span<byte> bytes = rentedBytes ?? stackalloc byte[1024];
        int length = Encoding.UTF8.GetBytes(piece, bytes);
        bytes = bytes[..length];
        int[] symbols = new int[length];
        try
        {
            if (Options.IgnoreMerges)
            {
                // Llama 3: a word already in the vocabulary is one token, whatever the merges would make.
                Span<char> mapped = length <= 512 ? stackalloc char[length] : new char[length];
                for (int i = 0; i < length; i++) mapped[i] = ByteLevelAlphabet.ByteToChar[bytes[i]];
                if (_vocabBySpan.TryGetValue(mapped, out int whole)) return [whole];
            }
            int n = 0;
            for (int i = 0; i < length; i++)
            {
                int id = _byteIds[bytes[i]];
                if (id >= 0) symbols[n++] = id;
                else n = AppendUnknown(bytes.Slice(i, 1), ByteLevelAlphabet.ByteToChar[bytes[i]].ToString(), symbols, n);
            }
            n = BpeMerge.Merge(symbols.AsSpan(0, n), _tryGetMerge);
            return n == symbols.Length ? symbols : symbols[..n];
        }
        finally
        {
            if (rentedBytes is not null) ArrayPool<byte>.Shared.Return(rentedBytes);
        }
    }

    int[] EncodeChars(ReadOnlySpan<char> piece)
    {
        if (Options.IgnoreMerges && _vocabBySpan.TryGetValue(piece, out int whole)) return [whole];
        var symbols = new int[Encoding.UTF8.GetByteCount(piece) + 1];
        int n = 0;
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < piece.Length;)
        {
            int width = char.IsHighSurrogate(piece[i]) && i + 1 < piece.Length && char.IsLowSurrogate(piece[i + 1]) ? 2 : 1;
            var ch = piece.Slice(i, width);
            if (_vocabBySpan.TryGetValue(ch, out int id)) symbols[n++] = id;
            else
            {
                int byteCount = Encoding.UTF8.GetBytes(ch, utf8);
                n = AppendUnknown(utf8[..byteCount], ch.ToString(), symbols, n);
            }
            i += width;
        }
        n = BpeMerge.Merge(symbols.AsSpan(0, n), _tryGetMerge);
        return symbols[..n];
    }

    /// <summary>A symbol missing from the vocabulary: byte-fallback tokens, else the (fused) unk token, else dropped as tokenizers does.</summary>
    int AppendUnknown(ReadOnlySpan<byte> bytes, string symbol, int[] symbols, int n)
    {
        if (Options.ByteFallback)
        {
            bool all = true;
            Span<int> fallback = stackalloc int[bytes.Length];
            for (int k = 0; k < bytes.Length && all; k++)
                all = _vocab.TryGetValue($"<0x{bytes[k]:X2}>", out fallback[k]);
            if (all) { foreach (int f in fallback) symbols[n++] = f; return n; }
        }
        if (Options.UnkId is int unk)
        {
            if (Options.FuseUnk && n > 0 && symbols[n - 1] == unk) return n;
            symbols[n++] = unk;
        }
        return n;
    }

    /// <summary>A merge that cannot be applied; the loader adds the JSON path.</summary>
    internal sealed class MergeException(int rank, string message) : Exception(message)
    {
        /// <summary>Index of the merge in <c>model.merges</c>.</summary>
        public int Rank { get; } = rank;
    }
}

/// <summary>The flags of a BPE model in tokenizer.json.</summary>
internal sealed record BpeOptions(int? UnkId, bool FuseUnk, bool ByteFallback, bool IgnoreMerges);
