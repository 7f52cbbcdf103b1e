namespace Whetstone.Models.Generation;

/// <summary>
/// A run of consecutive rows of one sequence inside an engine pass: rows [RowStart, RowStart + Length) hold the
/// tokens at positions Position … Position + Length − 1 of the sequence whose cache is <see cref="Cache"/>.
/// </summary>
internal struct AttentionPiece
{
    public int RowStart;
    public int Length;
    public int Position;
    public int Segment;          // index into the caller's segments
    public bool WantLogits;      // last piece of a segment that asked for logits
    public KvCache Cache;
}
