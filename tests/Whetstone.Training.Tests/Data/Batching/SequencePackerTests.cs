using Whetstone.Training.Data.Batching;

namespace Whetstone.Training.Tests.Data.Batching;

public class SequencePackerTests
{
    private const int Pad = 3;

    [Fact]
    public void Sequences_pack_once_each_with_positions_and_segments_restarting()
    {
        var sequences = SyntheticSequences.Many(30, seed: 9, logProbs: true);
        var batches = SequencePacker.Pack(sequences, Pad, new PackingOptions { RowLength = 128, RowsPerBatch = 3, Seed = 4 });

        var segments = batches.SelectMany(b => b.Segments).ToList();
        Assert.Equal(Enumerable.Range(0, 30), segments.Select(s => s.SequenceIndex).Order());
        int rows = batches.Sum(b => b.Rows);
        Assert.True(rows <= (sequences.Sum(s => s.Length) + 127) / 128 + 2, $"{rows} rows"); // first-fit decreasing packs tightly

        foreach (var batch in batches)
        {
            Assert.True(batch.Rows <= 3);
            Assert.NotNull(batch.OldLogProbs);
            var used = new int[batch.Rows];
            foreach (var seg in batch.Segments)
            {
                var s = sequences[seg.SequenceIndex];
                int offset = seg.Row * batch.RowLength + seg.Start;
                Assert.Equal(s.Ids, batch.Ids[offset..(offset + seg.Length)]);
                Assert.Equal(0f, batch.LossMask[offset]);
                Assert.Equal(s.LossMask[1..], batch.LossMask[(offset + 1)..(offset + seg.Length)]);
                Assert.Equal(s.OldLogProbs, batch.OldLogProbs![offset..(offset + seg.Length)]);
                Assert.Equal(Enumerable.Range(0, seg.Length), batch.Positions[offset..(offset + seg.Length)]);
                Assert.Single(batch.SegmentIds[offset..(offset + seg.Length)].Distinct());
                used[seg.Row] += seg.Length;
            }
            for (int row = 0; row < batch.Rows; row++)
            {
                Assert.True(used[row] <= batch.RowLength);
                for (int p = used[row]; p < batch.RowLength; p++)
                {
                    int at = row * batch.RowLength + p;
                    Assert.Equal(Pad, batch.Ids[at]);
                    Assert.Equal(0f, batch.LossMask[at]);
                    Assert.Equal(-1, batch.SegmentIds[at]);
                }
            }
        }
    }

    [Fact]
    public void Attention_is_allowed_only_within_a_segment_and_causally()
    {
        var sequences = new[] { SyntheticSequences.Make(0, 5), SyntheticSequences.Make(1, 4) };
        var batch = Assert.Single(SequencePacker.Pack(sequences, Pad, new PackingOptions { RowLength = 12, Shuffle = false }));
        Assert.Equal(1, batch.Rows);
        // Row: [seq0 ×5][seq1 ×4][pad ×3]
        Assert.True(batch.MayAttend(0, 4, 0));
        Assert.False(batch.MayAttend(0, 0, 4));
        Assert.True(batch.MayAttend(0, 8, 5));
        Assert.False(batch.MayAttend(0, 5, 4)); // first token of seq1 must not see seq0
        Assert.False(batch.MayAttend(0, 10, 9)); // padding attends to nothing
    }

    [Fact]
    public void Packing_is_deterministic_and_rejects_sequences_longer_than_a_row()
    {
        var sequences = SyntheticSequences.Many(25, seed: 2);
        string Layout(int seed) => string.Join("|", SequencePacker.Pack(sequences, Pad, new PackingOptions { RowLength = 100, RowsPerBatch = 2, Seed = seed })
            .SelectMany(b => b.Segments).Select(s => $"{s.Row}:{s.Start}:{s.SequenceIndex}"));
        Assert.Equal(Layout(1), Layout(1));

        var e = Assert.Throws<ArgumentException>(() => SequencePacker.Pack(sequences, Pad, new PackingOptions { RowLength = 20 }));
        Assert.Contains("row length 20", e.Message);
    }
}
