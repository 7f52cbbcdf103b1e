namespace Whetstone.Training.Data.Batching;

/// <summary>Settings of <see cref="SequencePacker"/>.</summary>
public sealed record PackingOptions
{
    /// <summary>Tokens per row, T. Every sequence must fit (truncate with MaxLength first).</summary>
    public int RowLength { get; init; } = 2048;

    /// <summary>Rows per batch, B.</summary>
    public int RowsPerBatch { get; init; } = 4;

    /// <summary>Seed of the row order.</summary>
    public int Seed { get; init; }

    /// <summary>Shuffle the rows (true) or keep them in packing order.</summary>
    public bool Shuffle { get; init; } = true;
}

/// <summary>
/// Packs sequences into fixed-length rows, first-fit decreasing (longest first, ties by input order), then groups
/// rows into batches. Deterministic for a given seed. See <see cref="PackedBatch"/> for the attention contract the
/// trainer must honour.
/// </summary>
public static class SequencePacker
{
    /// <summary>The packed batches of one pass over <paramref name="sequences"/>; every non-empty sequence appears once.</summary>
    /// <exception cref="ArgumentException">A sequence is longer than the row.</exception>
    public static IReadOnlyList<PackedBatch> Pack(IReadOnlyList<TokenizedSequence> sequences, int padId, PackingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        options ??= new PackingOptions();
        if (options.RowLength <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.RowLength, "RowLength must be positive");
        if (options.RowsPerBatch <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.RowsPerBatch, "RowsPerBatch must be positive");
        for (int i = 0; i < sequences.Count; i++)
            if (sequences[i].Length > options.RowLength)
                throw new ArgumentException($"sequence {i} ('{sequences[i].SourceId}') has {sequences[i].Length} tokens, more than the row length {options.RowLength}; tokenize with a MaxLength", nameof(sequences));

        var rows = new List<(List<int> Members, int Used)>();
        foreach (int i in Enumerable.Range(0, sequences.Count).Where(i => sequences[i].Length > 0).OrderByDescending(i => sequences[i].Length))
        {
            int length = sequences[i].Length;
            int row = rows.FindIndex(r => r.Used + length <= options.RowLength);
            if (row < 0) { rows.Add(([i], length)); continue; }
            rows[row].Members.Add(i);
            rows[row] = (rows[row].Members, rows[row].Used + length);
        }
        var order = rows.Select(r => r.Members).ToArray();
        if (options.Shuffle) new Random(options.Seed).Shuffle(order);

        var batches = new List<PackedBatch>();
        for (int first = 0; first < order.Length; first += options.RowsPerBatch)
            batches.Add(Build(sequences, order[first..Math.Min(order.Length, first + options.RowsPerBatch)], options.RowLength, padId));
        return batches;
    }

    private static PackedBatch Build(IReadOnlyList<TokenizedSequence> sequences, List<int>[] rows, int t, int padId)
    {
        int b = rows.Length;
        bool logProbs = rows.SelectMany(r => r).All(i => sequences[i].OldLogProbs is not null);
        var ids = new int[b * t];
        var mask = new float[b * t];
        var turn = new int[b * t];
        var old = logProbs ? new float[b * t] : null;
        var positions = new int[b * t];
        var segmentIds = new int[b * t];
        var segments = new List<PackedSegment>();
        Array.Fill(ids, padId);
        Array.Fill(turn, -1);
        Array.Fill(segmentIds, -1);
        for (int row = 0; row < b; row++)
        {
            int at = 0;
            for (int k = 0; k < rows[row].Count; k++)
            {
                var s = sequences[rows[row][k]];
                int offset = row * t + at;
                s.Ids.CopyTo(ids, offset);
                s.LossMask.CopyTo(mask, offset);
                mask[offset] = 0f; // a sequence's first token is never a target, least of all of the previous sequence
                s.TurnIndex.CopyTo(turn, offset);
                s.OldLogProbs?.CopyTo(old!, offset);
                for (int p = 0; p < s.Length; p++)
                {
                    positions[offset + p] = p;
                    segmentIds[offset + p] = k;
                }
                segments.Add(new PackedSegment(row, at, s.Length, rows[row][k]));
                at += s.Length;
            }
        }
        return new PackedBatch(b, t, ids, mask, turn, old, positions, segmentIds, segments);
    }
}
