using Whetstone.Training.Data.Batching;

namespace Whetstone.Training.Tests.Data.Batching;

public class LengthBucketBatcherTests
{
    private const int Pad = 7;

    [Fact]
    public void Every_sequence_lands_once_right_padded_within_the_budget()
    {
        var sequences = SyntheticSequences.Many(50, seed: 3);
        var options = new LengthBucketOptions { MaxTokensPerBatch = 200, MaxBatchSize = 8, Seed = 1 };
        var batches = LengthBucketBatcher.CreateBatches(sequences, Pad, options);

        Assert.Equal(Enumerable.Range(0, 50), batches.SelectMany(b => b.SequenceIndices).Order());
        foreach (var batch in batches)
        {
            Assert.True(batch.BatchSize <= 8);
            Assert.True(batch.BatchSize * batch.Length <= 200 || batch.BatchSize == 1);
            Assert.Equal(batch.SequenceIndices.Max(i => sequences[i].Length), batch.Length);
            for (int row = 0; row < batch.BatchSize; row++)
            {
                var s = sequences[batch.SequenceIndices[row]];
                Assert.Equal(s.Length, batch.SequenceLengths[row]);
                var ids = batch.Ids.AsSpan(row * batch.Length, batch.Length);
                var mask = batch.LossMask.AsSpan(row * batch.Length, batch.Length);
                Assert.Equal(s.Ids, ids[..s.Length].ToArray());
                Assert.Equal(s.LossMask, mask[..s.Length].ToArray());
                Assert.All(ids[s.Length..].ToArray(), id => Assert.Equal(Pad, id));
                Assert.All(mask[s.Length..].ToArray(), w => Assert.Equal(0f, w));
                Assert.All(batch.TurnIndex.AsSpan(row * batch.Length + s.Length, batch.Length - s.Length).ToArray(), x => Assert.Equal(-1, x));
            }
        }
        // Bucketing keeps padding small: far less than batching in random order would.
        long padded = batches.Sum(b => (long)b.PaddingTokenCount);
        Assert.True(padded < sequences.Sum(s => s.Length) / 4, $"{padded} padding tokens");
    }

    [Fact]
    public void The_same_seed_gives_the_same_batches_and_another_seed_another_order()
    {
        var sequences = SyntheticSequences.Many(40, seed: 5);
        string Layout(int seed) => string.Join("|", LengthBucketBatcher.CreateBatches(sequences, Pad,
            new LengthBucketOptions { MaxTokensPerBatch = 150, Seed = seed }).Select(b => string.Join(",", b.SequenceIndices)));
        Assert.Equal(Layout(11), Layout(11));
        Assert.NotEqual(Layout(11), Layout(12));

        var unshuffled = LengthBucketBatcher.CreateBatches(sequences, Pad, new LengthBucketOptions { MaxTokensPerBatch = 150, Shuffle = false });
        Assert.Equal(Enumerable.Range(0, 40).OrderBy(i => sequences[i].Length), unshuffled.SelectMany(b => b.SequenceIndices));
    }

    [Fact]
    public void Old_log_probs_travel_when_every_sequence_has_them()
    {
        var with = LengthBucketBatcher.CreateBatches(SyntheticSequences.Many(10, 1, logProbs: true), Pad);
        Assert.All(with, b => Assert.NotNull(b.OldLogProbs));
        var batch = with[0];
        var s = SyntheticSequences.Many(10, 1, logProbs: true)[batch.SequenceIndices[0]];
        Assert.Equal(s.OldLogProbs, batch.OldLogProbs![..s.Length]);

        var without = LengthBucketBatcher.CreateBatches(SyntheticSequences.Many(10, 1), Pad);
        Assert.All(without, b => Assert.Null(b.OldLogProbs));
    }

    [Fact]
    public void A_sequence_over_the_budget_gets_a_batch_of_its_own()
    {
        var sequences = new[] { SyntheticSequences.Make(0, 10), SyntheticSequences.Make(1, 500), SyntheticSequences.Make(2, 12) };
        var batches = LengthBucketBatcher.CreateBatches(sequences, Pad, new LengthBucketOptions { MaxTokensPerBatch = 100, Shuffle = false });
        Assert.Equal(2, batches.Count);
        Assert.Equal([1], batches[1].SequenceIndices);
        Assert.Equal([0, 2], batches[0].SequenceIndices);
    }

    [Fact]
    public void A_batch_mixing_sequences_with_and_without_old_log_probs_drops_them()
    {
        // Expert trajectories have no behaviour log-probs and policy samples do; DPO batches mix the two.
        List<Whetstone.Training.Data.TokenizedSequence> mixed = [SyntheticSequences.Make(0, 10, logProbs: true), SyntheticSequences.Make(1, 7)];
        var batch = PaddedBatch.Create(mixed, [0, 1], padId: 0);
        Assert.Null(batch.OldLogProbs);
        Assert.Equal(mixed[1].Ids, batch.Ids.Skip(batch.Length).Take(7));
    }
}
