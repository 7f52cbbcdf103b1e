namespace Whetstone.Training.Data.Batching;

/// <summary>Settings of <see cref="LengthBucketBatcher"/>.</summary>
public sealed record LengthBucketOptions
{
    /// <summary>Budget of B·T (rows × padded length) per batch. A sequence longer than this gets a batch of its own.</summary>
    public int MaxTokensPerBatch { get; init; } = 4096;

    /// <summary>Most rows per batch.</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>Seed of the tie-breaking shuffle and of the batch order.</summary>
    public int Seed { get; init; }

    /// <summary>Shuffle ties among equal lengths and the order of the batches (true), or keep input order (false).</summary>
    public bool Shuffle { get; init; } = true;
}

/// <summary>
/// Groups sequences of similar length into right-padded batches, so that little compute goes to padding. Every
/// sequence lands in exactly one batch. Deterministic for a given seed: sequences are shuffled with the seed, stably
/// sorted by length, cut greedily into batches within the token budget, and the batches are shuffled with the seed so
/// training does not run from short to long.
/// </summary>
public static class LengthBucketBatcher
{
    /// <summary>The batches of one pass over <paramref name="sequences"/>.</summary>
    /// <param name="sequences">Tokenized sequences (empty ones are skipped).</param>
    /// <param name="padId">Id written into padding (any valid id: it is never attended to by real tokens nor trained on).</param>
    /// <param name="options">Budget, batch size and seed.</param>
    public static IReadOnlyList<PaddedBatch> CreateBatches(IReadOnlyList<TokenizedSequence> sequences, int padId, LengthBucketOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        options ??= new LengthBucketOptions();
        if (options.MaxTokensPerBatch <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.MaxTokensPerBatch, "MaxTokensPerBatch must be positive");
        if (options.MaxBatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.MaxBatchSize, "MaxBatchSize must be positive");

        var random = new Random(options.Seed);
        var order = Enumerable.Range(0, sequences.Count).Where(i => sequences[i].Length > 0).ToArray();
        if (options.Shuffle) random.Shuffle(order);
        order = [.. order.OrderBy(i => sequences[i].Length)]; // stable: ties keep the shuffled order

        var groups = new List<List<int>>();
        var current = new List<int>();
        foreach (int i in order)
        {
            int length = sequences[i].Length; // ascending, so it is the padded length if i joins
            if (current.Count > 0 && (current.Count + 1 > options.MaxBatchSize || (long)(current.Count + 1) * length > options.MaxTokensPerBatch))
            {
                groups.Add(current);
                current = [];
            }
            current.Add(i);
        }
        if (current.Count > 0) groups.Add(current);

        var batches = groups.Select(g => PaddedBatch.Create(sequences, g, padId)).ToArray();
        if (options.Shuffle) random.Shuffle(batches);
        return batches;
    }
}
