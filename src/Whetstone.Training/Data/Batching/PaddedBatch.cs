namespace Whetstone.Training.Data.Batching;

/// <summary>
/// Sequences right-padded to one length: the batch shape <c>TransformerModel.Forward</c> and <c>CausalLmLoss</c> take.
/// Row b holds sequence <see cref="SequenceIndices"/>[b] in positions [0, <see cref="SequenceLengths"/>[b]) and the pad
/// id after it with loss weight 0. Attention is plain causal: a real token never sees the padding after it, so each
/// row's logits equal those of its sequence alone, and positions are simply 0..T−1.
/// </summary>
public sealed class PaddedBatch
{
    internal PaddedBatch(int batchSize, int length, int[] ids, float[] lossMask, int[] turnIndex, float[]? oldLogProbs,
        int[] sequenceIndices, int[] sequenceLengths)
    {
        BatchSize = batchSize;
        Length = length;
        Ids = ids;
        LossMask = lossMask;
        TurnIndex = turnIndex;
        OldLogProbs = oldLogProbs;
        SequenceIndices = sequenceIndices;
        SequenceLengths = sequenceLengths;
    }

    /// <summary>Rows, B.</summary>
    public int BatchSize { get; }

    /// <summary>Tokens per row, T (the longest sequence of the batch).</summary>
    public int Length { get; }

    /// <summary>Ids, (B·T) row-major; padding holds the pad id.</summary>
    public int[] Ids { get; }

    /// <summary>Loss weight per target token, (B·T); 0 on padding.</summary>
    public float[] LossMask { get; }

    /// <summary>Assistant turn of each token, (B·T); −1 on context and padding.</summary>
    public int[] TurnIndex { get; }

    /// <summary>Old log-probs, (B·T), 0 on padding; null unless every sequence carries them.</summary>
    public float[]? OldLogProbs { get; }

    /// <summary>For each row, the index of its sequence in the list given to the batcher, (B).</summary>
    public int[] SequenceIndices { get; }

    /// <summary>Real tokens of each row, (B).</summary>
    public int[] SequenceLengths { get; }

    /// <summary>Tokens that are padding.</summary>
    public int PaddingTokenCount => BatchSize * Length - SequenceLengths.Sum();

    /// <summary>Right-pads the sequences at <paramref name="indices"/> of <paramref name="sequences"/> with <paramref name="padId"/>.</summary>
    public static PaddedBatch Create(IReadOnlyList<TokenizedSequence> sequences, IReadOnlyList<int> indices, int padId)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count == 0) throw new ArgumentException("a batch needs at least one sequence", nameof(indices));
        int b = indices.Count, t = indices.Max(i => sequences[i].Length);
        if (t == 0) throw new ArgumentException("every sequence of the batch is empty", nameof(indices));
        bool logProbs = indices.All(i => sequences[i].OldLogProbs is not null);
        var ids = new int[b * t];
        var mask = new float[b * t];
        var turn = new int[b * t];
        var old = logProbs ? new float[b * t] : null;
        var lengths = new int[b];
        Array.Fill(ids, padId);
        Array.Fill(turn, -1);
        for (int row = 0; row < b; row++)
        {
            var s = sequences[indices[row]];
            lengths[row] = s.Length;
            s.Ids.CopyTo(ids, row * t);
            s.LossMask.CopyTo(mask, row * t);
            s.TurnIndex.CopyTo(turn, row * t);
            // Old log-probs are kept only when every sequence has them (a batch mixing expert and policy data has none).
            if (old is not null)
                s.OldLogProbs!.CopyTo(old, row * t);
        }
        return new PaddedBatch(b, t, ids, mask, turn, old, [.. indices], lengths);
    }
}
