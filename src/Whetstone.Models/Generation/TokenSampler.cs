using System.Numerics.Tensors;
using Whetstone.Tensors;

namespace Whetstone.Models.Generation;

/// <summary>
/// Draws a token from one row of logits under <see cref="SamplingOptions"/>. Scratch buffers are sized for the
/// vocabulary once, so sampling allocates nothing. Not thread-safe: one sampler per thread.
/// </summary>
/// <remarks>
/// Top-k and top-p need the most likely tokens in order, but sorting 150k logits per token would cost more than a
/// decode step. Tokens are bucketed by the binary exponent of their probability: the smallest set of top buckets
/// that holds k tokens or top-p of the mass (or reaches the min-p floor) is guaranteed to contain every kept token,
/// and only that set is sorted. The result is exactly the full-sort answer (ties broken by lower id).
/// </remarks>
public sealed class TokenSampler
{
    private const int Buckets = 64;
    private readonly float[] _probs;
    private readonly int[] _candidates;
    private readonly int[] _bucketCount = new int[Buckets];
    private readonly double[] _bucketMass = new double[Buckets];
    private readonly DescendingProbability _order;
    private float _max, _sum;

    /// <summary>Creates a sampler for logits rows of <paramref name="vocabSize"/>.</summary>
    public TokenSampler(int vocabSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabSize, 1);
        VocabSize = vocabSize;
        _probs = new float[vocabSize];
        _candidates = new int[vocabSize];
        _order = new DescendingProbability(_probs);
    }

    /// <summary>Length of the logits rows this sampler takes.</summary>
    public int VocabSize { get; }

    /// <summary>Draws one token; reports its log-probability under softmax(logits) at temperature 1.</summary>
    /// <param name="logits">(vocab).</param>
    /// <param name="options">Temperature, top-k, top-p, min-p.</param>
    /// <param name="rng">The sequence's random stream (unused when greedy).</param>
    public SampledToken Sample(ReadOnlySpan<float> logits, SamplingOptions options, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        if (logits.Length != VocabSize)
            throw new ArgumentException($"Sample: {logits.Length} logits, the sampler was built for {VocabSize}.", nameof(logits));
        if (options.Temperature == 0f || options.TopK == 1)
        {
            int best = ArgMax(logits);
            return new SampledToken(best, logits[best] - LogSumExp(logits));
        }
        // At temperature 1 the sampling pass's exponentials give the log-sum-exp for free; otherwise it is its own pass.
        float lse = options.Temperature == 1f ? float.NaN : LogSumExp(logits);
        int id = Draw(logits, options, rng);
        if (options.Temperature == 1f) lse = _max + MathF.Log(_sum);
        return new SampledToken(id, logits[id] - lse);
    }

    /// <summary>log Σ exp(logits), vectorised through the probability scratch.</summary>
    private float LogSumExp(ReadOnlySpan<float> logits)
    {
        var scratch = _probs.AsSpan(0, logits.Length);
        float max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, max, scratch);
        TensorPrimitives.Exp(scratch, scratch);
        return max + MathF.Log(TensorPrimitives.Sum(scratch));
    }

    /// <summary>log softmax(logits)[id], computed stably.</summary>
    public static float LogProb(ReadOnlySpan<float> logits, int id)
    {
        float max = TensorPrimitives.Max(logits);
        double sum = 0;
        foreach (var l in logits) sum += Math.Exp(l - max);
        return (float)(logits[id] - max - Math.Log(sum));
    }

    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++)
            if (logits[i] > logits[best]) best = i;
        return best;
    }

    private int Draw(ReadOnlySpan<float> logits, SamplingOptions o, Rng rng)
    {
        if ((o.TopK == 0 || o.TopK >= logits.Length) && o.TopP >= 1f && o.MinP <= 0f)
        {
            // Plain softmax sampling (RL's default): no candidate list, one vectorised sum and one early-exit scan.
            var probs = Probabilities(logits, o.Temperature);
            double target = rng.NextDouble() * _sum, running = 0;
            for (int i = 0; i < probs.Length; i++)
            {
                running += probs[i];
                if (target < running) return i;
            }
            return TensorPrimitives.IndexOfMax(probs);
        }
        int kept = KeptCandidates(logits, o, out _);
        double total = 0;
        for (int i = 0; i < kept; i++) total += _probs[_candidates[i]];
        double u = rng.NextDouble() * total, cumulative = 0;
        for (int i = 0; i < kept; i++)
        {
            cumulative += _probs[_candidates[i]];
            if (u < cumulative) return _candidates[i];
        }
        return _candidates[kept - 1];
    }

    /// <summary>
    /// Fills the first n entries of the candidate list with the tokens that survive the filters and returns n.
    /// Unnormalised probabilities exp((l − max)/T) are left in the probability scratch (the top token has 1).
    /// When <paramref name="sorted"/> the kept tokens are in descending probability order.
    /// </summary>
    internal int KeptCandidates(ReadOnlySpan<float> logits, SamplingOptions o, out bool sorted)
    {
        int v = logits.Length;
        var probs = Probabilities(logits, o.Temperature);
        int topK = o.TopK > 0 && o.TopK < v ? o.TopK : 0;
        bool topP = o.TopP < 1f;
        if (topK == 0 && !topP)
        {
            sorted = false;
            int n = 0;
            for (int i = 0; i < v; i++)
                if (probs[i] >= o.MinP) _candidates[n++] = i;
            return n;
        }

        // Probability buckets by binary exponent: bucket b holds p in [2^−b, 2^−b+1); the top token is in bucket 0.
        Array.Clear(_bucketCount);
        Array.Clear(_bucketMass);
        double total = 0;
        for (int i = 0; i < v; i++)
        {
            int b = BucketOf(probs[i]);
            _bucketCount[b]++;
            _bucketMass[b] += probs[i];
            total += probs[i];
        }
        // The top buckets to sort: enough for the whole top-k set (top-p renormalises over its exact mass), or
        // else for top-p's mass; or down to the min-p floor, below which nothing survives anyway.
        int last = Buckets - 1, count = 0;
        double mass = 0;
        for (int b = 0; b < Buckets; b++)
        {
            count += _bucketCount[b];
            mass += _bucketMass[b];
            bool floor = o.MinP > 0f && Math.ScaleB(1.0, -b) <= o.MinP;
            bool enough = topK > 0 ? count >= topK || (!topP && floor) : mass >= o.TopP * total || floor;
            if (enough) { last = b; break; }
        }
        int candidates = 0;
        for (int i = 0; i < v; i++)
            if (BucketOf(probs[i]) <= last) _candidates[candidates++] = i;
        Array.Sort(_candidates, 0, candidates, _order);

        int keep = topK > 0 ? Math.Min(topK, candidates) : candidates;
        if (topP)
        {
            // Top-p over the top-k set, renormalised: keep the token at rank r while the mass before it is below top_p.
            double kMass = total;
            if (topK > 0)
            {
                kMass = 0;
                for (int i = 0; i < keep; i++) kMass += probs[_candidates[i]];
            }
            double before = 0;
            int n = 0;
            while (n < keep && before < o.TopP * kMass)
                before += probs[_candidates[n++]];
            keep = Math.Max(1, n);
        }
        int m = 1;
        while (m < keep && probs[_candidates[m]] >= o.MinP) m++;
        sorted = true;
        return m;
    }

    /// <summary>
    /// Unnormalised probabilities exp((l − max)/T) into the scratch (the top token gets 1); their sum and the max
    /// logit are kept in <see cref="_sum"/> and <see cref="_max"/>.
    /// </summary>
    private Span<float> Probabilities(ReadOnlySpan<float> logits, float temperature)
    {
        var probs = _probs.AsSpan(0, logits.Length);
        _max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, _max, probs);
        if (temperature != 1f) TensorPrimitives.Multiply(probs, 1f / temperature, probs);
        TensorPrimitives.Exp(probs, probs);
        _sum = TensorPrimitives.Sum(probs);
        return probs;
    }

    /// <summary>The first <paramref name="count"/> candidates of the last <see cref="KeptCandidates"/> call.</summary>
    internal ReadOnlySpan<int> Candidates(int count) => _candidates.AsSpan(0, count);

    private static int BucketOf(float p) => p <= 0f ? Buckets - 1 : Math.Min(Buckets - 1, -Math.ILogB(p));

    /// <summary>Orders token ids by descending probability, then ascending id.</summary>
    private sealed class DescendingProbability(float[] probs) : IComparer<int>
    {
        public int Compare(int a, int b)
        {
            int c = probs[b].CompareTo(probs[a]);
            return c != 0 ? c : a.CompareTo(b);
        }
    }
}
