using Whetstone.Models.Generation;
using Whetstone.Models.Tests.Transformer;
using Whetstone.Models.Transformer;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Models.Tests.Generation;

public class GeneratorTests
{
    private static TransformerModel Model(string family = "qwen3")
    {
        var model = TransformerModel.Create(TinyConfigs.ByName(family), seed: 41, std: 0.4f);
        TinyConfigs.Perturb(model, 42);
        return model;
    }

    private static float[] TapeLogits(TransformerModel model, int[] ids)
    {
        using var tape = new Tape();
        using var _ = tape.NoGrad();
        return model.Forward(tape, ids, 1, ids.Length).ToArray();
    }

    [Theory]
    [MemberData(nameof(TinyConfigs.All), MemberType = typeof(TinyConfigs))]
    public void Greedy_generation_equals_argmax_of_the_full_forward_and_log_probs_match_it(string family)
    {
        using var model = Model(family);
        int v = model.Config.VocabSize;
        var prompt = TinyConfigs.RandomIds(4, v, 1);
        using var gen = new Generator(model);
        var r = gen.Generate([new GenerationRequest(prompt, SamplingOptions.Greedy(10) with { StopTokenIds = [] })])[0];
        Assert.Equal(FinishReason.MaxTokens, r.Reason);
        Assert.Equal(10, r.Tokens.Count);

        var ids = prompt.ToList();
        for (int i = 0; i < 10; i++)
        {
            var logits = TapeLogits(model, ids.ToArray()).AsSpan((ids.Count - 1) * v, v);
            int best = 0;
            for (int j = 1; j < v; j++) if (logits[j] > logits[best]) best = j;
            Assert.Equal(best, r.Tokens[i]);
            Assert.Equal(TokenSampler.LogProb(logits, best), r.LogProbs[i], 4);
            ids.Add(best);
        }
    }

    [Fact]
    public void Sampled_log_probs_are_the_trainers_token_log_probs()
    {
        using var model = Model("qwen2");
        var prompt = TinyConfigs.RandomIds(5, model.Config.VocabSize, 2);
        using var gen = new Generator(model);
        var r = gen.Generate([new GenerationRequest(prompt, new SamplingOptions { Temperature = 0.8f, TopP = 0.9f, Seed = 3, MaxNewTokens = 12, StopTokenIds = [] })])[0];
        var all = prompt.Concat(r.Tokens).ToArray();
        using var tape = new Tape();
        using var _ = tape.NoGrad();
        var lp = CausalLmLoss.NextTokenLogProbs(tape, model.Forward(tape, all, 1, all.Length), all);
        for (int i = 0; i < r.Tokens.Count; i++)
            Assert.Equal(lp[0, prompt.Length - 1 + i], r.LogProbs[i], 4);
    }

    [Fact]
    public void A_group_decoded_together_equals_each_member_decoded_alone()
    {
        using var model = Model();
        var prompt = TinyConfigs.RandomIds(6, model.Config.VocabSize, 3);
        var requests = Enumerable.Range(0, 6).Select(i => new GenerationRequest(prompt,
            new SamplingOptions { Temperature = 1f, TopK = 20, Seed = (ulong)(100 + i), MaxNewTokens = 8 + i, StopTokenIds = [] })).ToArray();
        using var batched = new Generator(model, new GeneratorOptions { MaxBatchSize = 4 });   // 6 requests: some wait their turn
        var together = batched.Generate(requests);
        using var single = new Generator(model, new GeneratorOptions { MaxBatchSize = 1 });
        for (int i = 0; i < requests.Length; i++)
        {
            var alone = single.Generate([requests[i]])[0];
            Assert.Equal(i, together[i].Id);
            Assert.Equal(alone.Tokens, together[i].Tokens);
            Assert.Equal(8 + i, together[i].Tokens.Count);
            // Decode rows go through SkinnyGemm, whose per-output order does not depend on the batch: bit-identical.
            Assert.Equal(alone.LogProbs, together[i].LogProbs);
        }
        Assert.True(together.Select(r => string.Join(",", r.Tokens)).Distinct().Count() > 1, "different seeds should give different samples");
    }

    [Fact]
    public void Stop_tokens_stop_strings_and_limits_end_sequences()
    {
        using var model = Model();
        var prompt = TinyConfigs.RandomIds(3, model.Config.VocabSize, 4);
        using var gen = new Generator(model);
        var free = gen.Generate([new GenerationRequest(prompt, SamplingOptions.Greedy(12) with { StopTokenIds = [] })])[0];

        int stopAt = free.Tokens[4];
        int first = free.Tokens.ToList().IndexOf(stopAt);
        var stopped = gen.Generate([new GenerationRequest(prompt, SamplingOptions.Greedy(12) with { StopTokenIds = [stopAt] })])[0];
        Assert.Equal(FinishReason.StopToken, stopped.Reason);
        Assert.Equal(free.Tokens.Take(first + 1), stopped.Tokens);

        static string Letters(IReadOnlyList<int> ids) => string.Concat(ids.Select(i => (char)('a' + i % 26)));
        var stop = Letters(free.Tokens.Skip(5).Take(2).ToList());
        int end = Letters(free.Tokens).IndexOf(stop, StringComparison.Ordinal) + stop.Length;
        var byString = gen.Generate([new GenerationRequest(prompt, SamplingOptions.Greedy(12) with { StopTokenIds = [], StopStrings = [stop] }, Letters)])[0];
        Assert.Equal(FinishReason.StopString, byString.Reason);
        Assert.Equal(stop, byString.StopString);
        Assert.Equal(free.Tokens.Take(end), byString.Tokens);

        using var shortGen = new Generator(model, new GeneratorOptions { MaxSequenceLength = 6 });
        var full = shortGen.Generate([new GenerationRequest(prompt, SamplingOptions.Greedy(12) with { StopTokenIds = [] })])[0];
        Assert.Equal(FinishReason.ContextFull, full.Reason);
        Assert.Equal(free.Tokens.Take(full.Tokens.Count), full.Tokens);
        Assert.Throws<ArgumentException>(() => gen.Add(new GenerationRequest([])));
        Assert.Throws<ArgumentException>(() => gen.Add(new GenerationRequest(prompt, new SamplingOptions { StopStrings = ["x"] })));
    }

    [Fact]
    public void Sequences_added_between_steps_join_the_batch_and_match_their_solo_runs()
    {
        using var model = Model("llama");
        int v = model.Config.VocabSize;
        var a = new GenerationRequest(TinyConfigs.RandomIds(5, v, 5), new SamplingOptions { Seed = 1, MaxNewTokens = 10, StopTokenIds = [] });
        var b = new GenerationRequest(TinyConfigs.RandomIds(2, v, 6), new SamplingOptions { Seed = 2, MaxNewTokens = 6, StopTokenIds = [] });
        var c = new GenerationRequest(TinyConfigs.RandomIds(8, v, 7), new SamplingOptions { Seed = 3, MaxNewTokens = 6, StopTokenIds = [] });
        using var gen = new Generator(model);
        var results = new Dictionary<int, GenerationResult>();
        int ia = gen.Add(a);
        int ib = -1, ic = gen.Add(c);
        for (int step = 0; gen.ActiveCount + gen.WaitingCount > 0; step++)
        {
            if (step == 3) ib = gen.Add(b);
            if (step == 2) Assert.True(gen.Remove(ic));
            foreach (var e in gen.Step())
                if (e.Finished is { } r) results[e.SequenceId] = r;
        }
        Assert.Equal(2, results.Count);
        Assert.False(results.ContainsKey(ic));
        using var solo = new Generator(model);
        Assert.Equal(solo.Generate([a])[0].Tokens, results[ia].Tokens);
        Assert.Equal(solo.Generate([b])[0].Tokens, results[ib].Tokens);
    }
}

public class GeneratorDeterminismTests
{
    [Fact]
    public void Same_seeds_give_bit_identical_results_for_one_and_two_compute_threads()
    {
        using var model = TransformerModel.Create(TinyConfigs.Qwen3() with { VocabSize = 300, HiddenSize = 64, IntermediateSize = 160 }, seed: 8, std: 0.3f);
        var prompt = TinyConfigs.RandomIds(20, 300, 9);
        var requests = Enumerable.Range(0, 5).Select(i => new GenerationRequest(prompt,
            new SamplingOptions { Seed = (ulong)i, TopP = 0.9f, MaxNewTokens = 12, StopTokenIds = [] })).ToArray();
        IReadOnlyList<GenerationResult> Run(int threads)
        {
            int saved = Whetstone.Tensors.Threading.ComputeThreads.Count;
            Whetstone.Tensors.Threading.ComputeThreads.Count = threads;
            try
            {
                using var gen = new Generator(model);
                return gen.Generate(requests);
            }
            finally { Whetstone.Tensors.Threading.ComputeThreads.Count = saved; }
        }
        var one = Run(1);
        var two = Run(2);
        for (int i = 0; i < requests.Length; i++)
        {
            Assert.Equal(one[i].Tokens, two[i].Tokens);
            Assert.Equal(one[i].LogProbs, two[i].LogProbs);
        }
    }
}
