namespace Whetstone.Training.Data.Batching;

/// <summary>Where one sequence sits in a <see cref="PackedBatch"/>.</summary>
/// <param name="Row">The row.</param>
/// <param name="Start">First token in the row.</param>
/// <param name="Length">Tokens.</param>
/// <param name="SequenceIndex">Index of the sequence in the list given to the packer.</param>
public readonly record struct PackedSegment(int Row, int Start, int Length, int SequenceIndex);

/// <summary>
/// Several sequences per fixed-length row, each with positions restarting at 0.
/// </summary>
/// <remarks>
/// Contract for the trainer: a token may attend only to tokens of the same row with the same
/// <see cref="SegmentIds"/> value at or before it (block-diagonal causal attention; see <see cref="MayAttend"/>), and
/// RoPE must use <see cref="Positions"/>. Plain causal attention over the row would let a sequence see the ones packed
/// before it; <c>TransformerModel.Forward</c> takes per-token positions but its attention is plain causal, so until it
/// takes segment ids, use <see cref="PaddedBatch"/> (bucketing) for it. The loss mask is 0 at the first token of every
/// segment, so no sequence's first token is ever predicted from the previous sequence, and 0 on padding.
/// </remarks>
public sealed class PackedBatch
{
    internal PackedBatch(int rows, int rowLength, int[] ids, float[] lossMask, int[] turnIndex, float[]? oldLogProbs,
        int[] positions, int[] segmentIds, IReadOnlyList<PackedSegment> segments)
    {
        Rows = rows;
        RowLength = rowLength;
        Ids = ids;
        LossMask = lossMask;
        TurnIndex = turnIndex;
        OldLogProbs = oldLogProbs;
        Positions = positions;
        SegmentIds = segmentIds;
        Segments = segments;
    }

    /// <summary>Rows, B.</summary>
    public int Rows { get; }

    /// <summary>Tokens per row, T.</summary>
    public int RowLength { get; }

    /// <summary>Ids, (B·T); padding holds the pad id.</summary>
    public int[] Ids { get; }

    /// <summary>Loss weight per target token, (B·T); 0 at each segment's first token and on padding.</summary>
    public float[] LossMask { get; }

    /// <summary>Assistant turn of each token within its sequence, (B·T); −1 on context and padding.</summary>
    public int[] TurnIndex { get; }

    /// <summary>Old log-probs, (B·T); null unless every sequence carries them.</summary>
    public float[]? OldLogProbs { get; }

    /// <summary>Position of each token within its own sequence, (B·T): 0, 1, … restarting per segment; 0 on padding.</summary>
    public int[] Positions { get; }

    /// <summary>Per token, (B·T): 0, 1, … for the segments of its row in order; −1 on padding.</summary>
    public int[] SegmentIds { get; }

    /// <summary>The segments, by row then start.</summary>
    public IReadOnlyList<PackedSegment> Segments { get; }

    /// <summary>True when the token at <paramref name="query"/> may attend to the token at <paramref name="key"/> in <paramref name="row"/>.</summary>
    public bool MayAttend(int row, int query, int key)
    {
        int q = row * RowLength + query, k = row * RowLength + key;
        return key <= query && SegmentIds[q] >= 0 && SegmentIds[q] == SegmentIds[k];
    }
}
