using Whetstone.Models.Generation;
using Whetstone.Models.Tests.Transformer;
using Whetstone.Models.Transformer;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Models.Tests.Generation;

public class InferenceEngineTests
{
    private const float Tolerance = 1e-4f;

    /// <summary>The reference: the tape forward over the whole sequence, (T, V).</summary>
    private static float[] TapeLogits(TransformerModel model, int[] ids)
    {
        using var tape = new Tape();
        using var _ = tape.NoGrad();
        return model.Forward(tape, ids, 1, ids.Length).ToArray();
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    private static TransformerModel Model(string family)
    {
        var model = TransformerModel.Create(TinyConfigs.ByName(family), seed: 31, std: 0.25f);
        TinyConfigs.Perturb(model, 32);
        return model;
    }

    [Theory]
    [MemberData(nameof(TinyConfigs.All), MemberType = typeof(TinyConfigs))]
    public void Prefill_logits_of_every_position_equal_the_tape_forward(string family)
    {
        using var model = Model(family);
        var ids = TinyConfigs.RandomIds(11, model.Config.VocabSize, 1);
        using var engine = new InferenceEngine(model, rowCapacity: 4);       // three passes: 4 + 4 + 3 rows
        using var cache = engine.CreateCache(32);
        var logits = engine.ForwardAllLogits(cache, ids);
        Assert.Equal(11, cache.Length);
        AssertClose(TapeLogits(model, ids), logits, "logits");
    }

    [Theory]
    [MemberData(nameof(TinyConfigs.All), MemberType = typeof(TinyConfigs))]
    public void Incremental_decode_logits_equal_the_full_forward(string family)
    {
        using var model = Model(family);
        int v = model.Config.VocabSize;
        var ids = TinyConfigs.RandomIds(12, v, 2);
        var reference = TapeLogits(model, ids);
        using var engine = new InferenceEngine(model);
        using var cache = engine.CreateCache(16);
        var logits = new float[v];
        engine.Forward([new ForwardSegment(cache, ids.AsMemory(0, 5))], logits);
        AssertClose(reference.AsSpan(4 * v, v), logits, "after prefill");
        for (int t = 5; t < ids.Length; t++)
        {
            engine.Forward([new ForwardSegment(cache, ids.AsMemory(t, 1))], logits);
            AssertClose(reference.AsSpan(t * v, v), logits, $"step {t}");
        }
        Assert.Equal(12, cache.Length);
    }

    [Theory]
    [MemberData(nameof(TinyConfigs.All), MemberType = typeof(TinyConfigs))]
    public void Batched_decode_of_sequences_at_different_positions_equals_decoding_each_alone(string family)
    {
        using var model = Model(family);
        int v = model.Config.VocabSize;
        int[] promptLengths = [3, 7, 1, 5];
        var sequences = promptLengths.Select((n, i) => TinyConfigs.RandomIds(n + 4, v, 10 + (ulong)i)).ToArray();

        // Alone: one engine call per sequence and step.
        var alone = new List<float[]>[sequences.Length];
        using (var engine = new InferenceEngine(model))
            for (int s = 0; s < sequences.Length; s++)
            {
                alone[s] = [];
                using var cache = engine.CreateCache(16);
                var logits = new float[v];
                engine.Forward([new ForwardSegment(cache, sequences[s].AsMemory(0, promptLengths[s]))], logits);
                alone[s].Add(logits.ToArray());
                for (int t = promptLengths[s]; t < sequences[s].Length; t++)
                {
                    engine.Forward([new ForwardSegment(cache, sequences[s].AsMemory(t, 1))], logits);
                    alone[s].Add(logits.ToArray());
                }
            }

        // Together: all prompts in one call (ragged prefill), then every decode step in one call.
        using (var engine = new InferenceEngine(model, rowCapacity: 8))     // the 16-row prefill takes two passes
        {
            var caches = sequences.Select(_ => engine.CreateCache(16)).ToArray();
            var logits = new float[sequences.Length * v];
            engine.Forward(sequences.Select((seq, s) => new ForwardSegment(caches[s], seq.AsMemory(0, promptLengths[s]))).ToArray(), logits);
            for (int s = 0; s < sequences.Length; s++)
                AssertClose(alone[s][0], logits.AsSpan(s * v, v), $"prefill seq {s}");
            for (int step = 0; step < 4; step++)
            {
                engine.Forward(sequences.Select((seq, s) => new ForwardSegment(caches[s], seq.AsMemory(promptLengths[s] + step, 1))).ToArray(), logits);
                for (int s = 0; s < sequences.Length; s++)
                    AssertClose(alone[s][step + 1], logits.AsSpan(s * v, v), $"seq {s} step {step}");
            }
            foreach (var c in caches) c.Dispose();
        }
    }

    [Fact]
    public void A_segment_that_wants_no_logits_leaves_its_row_alone_and_a_full_cache_is_refused()
    {
        using var model = Model("qwen3");
        int v = model.Config.VocabSize;
        using var engine = new InferenceEngine(model);
        using var a = engine.CreateCache(4);
        using var b = engine.CreateCache(4);
        var logits = Enumerable.Repeat(7f, 2 * v).ToArray();
        engine.Forward([new ForwardSegment(a, new[] { 1, 2 }, WantLogits: false), new ForwardSegment(b, new[] { 3 })], logits);
        Assert.All(logits.AsSpan(0, v).ToArray(), x => Assert.Equal(7f, x));
        Assert.NotEqual(7f, logits[v]);
        Assert.Equal(2, a.Length);
        var e = Assert.Throws<InvalidOperationException>(() => engine.Forward([new ForwardSegment(a, new[] { 1, 2, 3 })], logits));
        Assert.Contains("KV cache", e.Message);
        Assert.Throws<ArgumentException>(() => engine.Forward([new ForwardSegment(a, new[] { 1 }), new ForwardSegment(a, new[] { 2 })], logits));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.Forward([new ForwardSegment(b, new[] { v })], logits));
    }
}

public class InferenceEngineAllocationTests
{
    [Fact]
    public void A_steady_state_batched_decode_step_allocates_nothing()
    {
        using var model = TransformerModel.Create(TinyConfigs.Qwen2(), seed: 1);
        using var engine = new InferenceEngine(model, rowCapacity: 16, maxSegments: 4);
        var caches = Enumerable.Range(0, 4).Select(_ => engine.CreateCache(64)).ToArray();
        var token = new[] { 1, 2, 3, 4 };
        var segments = caches.Select((c, i) => new ForwardSegment(c, token.AsMemory(i, 1))).ToArray();
        var logits = new float[4 * model.Config.VocabSize];
        for (int i = 0; i < 5; i++) engine.Forward(segments, logits);   // warm-up: JIT, thread-local scratch
        // This thread only: tests run in parallel, and pool workers allocate just their thread-local scratch once.
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) engine.Forward(segments, logits);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1024, $"20 decode steps allocated {allocated} bytes");
        foreach (var c in caches) c.Dispose();
    }
}
