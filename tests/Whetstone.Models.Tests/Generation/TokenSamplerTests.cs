using Whetstone.Models.Generation;
using Whetstone.Tensors;

namespace Whetstone.Models.Tests.Generation;

public class TokenSamplerTests
{
    /// <summary>Reference: sort everything, then top-k, top-p (over the top-k set), min-p; returns the kept ids in order.</summary>
    private static int[] ReferenceKept(float[] logits, SamplingOptions o)
    {
        float max = logits.Max();
        var p = logits.Select(l => Math.Exp((l - max) / o.Temperature)).ToArray();
        double total = p.Sum();
        var order = Enumerable.Range(0, logits.Length).OrderByDescending(i => p[i]).ThenBy(i => i).ToList();
        if (o.TopK > 0) order = order.Take(o.TopK).ToList();
        if (o.TopP < 1)
        {
            double mass = order.Sum(i => p[i]) / total, before = 0;
            var kept = new List<int>();
            foreach (var i in order)
            {
                if (kept.Count > 0 && before >= o.TopP * mass) break;
                kept.Add(i);
                before += p[i] / total;
            }
            order = kept;
        }
        return order.Where((i, r) => r == 0 || p[i] >= o.MinP).ToArray();
    }

    public static IEnumerable<object[]> Settings() =>
    [
        [1f, 0, 1f, 0f], [0.7f, 5, 1f, 0f], [1f, 0, 0.9f, 0f], [1.3f, 0, 0.5f, 0f], [1f, 0, 1f, 0.05f],
        [0.8f, 40, 0.95f, 0f], [1f, 3, 0.6f, 0.1f], [0.5f, 0, 0.99f, 0.01f], [2f, 200, 0.3f, 0f], [1f, 1000, 1f, 0.2f],
    ];

    [Theory]
    [MemberData(nameof(Settings))]
    public void Kept_tokens_equal_a_full_sort_reference(float temperature, int topK, float topP, float minP)
    {
        var o = new SamplingOptions { Temperature = temperature, TopK = topK, TopP = topP, MinP = minP };
        var rng = new Rng(7);
        const int vocab = 500;
        var sampler = new TokenSampler(vocab);
        for (int trial = 0; trial < 20; trial++)
        {
            var logits = new float[vocab];
            rng.FillNormal(logits, 0, 1 + trial * 0.3f);
            if (trial % 5 == 0) logits[3] = logits[4] = logits.Max();          // ties are broken by lower id
            int n = sampler.KeptCandidates(logits, o, out bool sorted);
            var expected = ReferenceKept(logits, o);
            var got = sampler.Candidates(n).ToArray();
            if (!sorted) Array.Sort(got, (a, b) => Array.IndexOf(expected, a).CompareTo(Array.IndexOf(expected, b)));
            Assert.Equal(expected, got);
        }
    }

    [Fact]
    public void Draws_follow_the_filtered_distribution()
    {
        float[] logits = [2f, 1f, 0.5f, 0f, -1f, -3f];
        var o = new SamplingOptions { TopK = 3, Seed = 1 };
        var sampler = new TokenSampler(logits.Length);
        var rng = new Rng(11);
        var counts = new int[logits.Length];
        const int draws = 20000;
        for (int i = 0; i < draws; i++) counts[sampler.Sample(logits, o, rng).Id]++;
        double z = Math.Exp(2) + Math.Exp(1) + Math.Exp(0.5);
        Assert.Equal(Math.Exp(2) / z, counts[0] / (double)draws, 0.015);
        Assert.Equal(Math.Exp(1) / z, counts[1] / (double)draws, 0.015);
        Assert.Equal(Math.Exp(0.5) / z, counts[2] / (double)draws, 0.015);
        Assert.Equal(0, counts[3] + counts[4] + counts[5]);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(2f)]
    public void Plain_sampling_follows_the_tempered_softmax(float temperature)
    {
        float[] logits = [1f, 0f, -1f, 0.5f];
        var sampler = new TokenSampler(logits.Length);
        var rng = new Rng(12);
        var counts = new int[logits.Length];
        const int draws = 20000;
        var o = new SamplingOptions { Temperature = temperature };
        for (int i = 0; i < draws; i++) counts[sampler.Sample(logits, o, rng).Id]++;
        double z = logits.Sum(l => Math.Exp(l / temperature));
        for (int i = 0; i < logits.Length; i++)
            Assert.Equal(Math.Exp(logits[i] / temperature) / z, counts[i] / (double)draws, 0.015);
    }

    [Fact]
    public void Greedy_takes_the_argmax_and_log_probs_are_the_plain_softmax()
    {
        float[] logits = [0.1f, 3f, 3f, -2f];
        var sampler = new TokenSampler(4);
        var t = sampler.Sample(logits, SamplingOptions.Greedy(), new Rng(1));
        Assert.Equal(1, t.Id);
        double lse = Math.Log(logits.Sum(l => Math.Exp(l)));
        Assert.Equal(3 - lse, t.LogProb, 5);
        // Whatever temperature and filters drew it, the reported log-prob is log softmax at temperature 1.
        var hot = sampler.Sample(logits, new SamplingOptions { Temperature = 0.2f, TopK = 2 }, new Rng(2));
        Assert.Equal(logits[hot.Id] - lse, hot.LogProb, 5);
    }

    [Fact]
    public void Same_seed_same_tokens_and_bad_settings_are_refused()
    {
        var rng = new Rng(3);
        var logits = new float[100];
        rng.FillNormal(logits);
        var sampler = new TokenSampler(100);
        var o = new SamplingOptions { TopP = 0.9f };
        int[] Run(ulong seed)
        {
            var r = new Rng(seed);
            return Enumerable.Range(0, 50).Select(_ => sampler.Sample(logits, o, r).Id).ToArray();
        }
        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SamplingOptions { TopP = 0f }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SamplingOptions { Temperature = -1f }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SamplingOptions { MinP = 2f }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SamplingOptions { MaxNewTokens = 0 }.Validate());
    }
}
