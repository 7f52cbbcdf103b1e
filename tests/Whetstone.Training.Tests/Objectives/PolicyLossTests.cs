using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;
using Whetstone.Training.Data;
using Whetstone.Training.Data.Batching;
using Whetstone.Training.Objectives;

namespace Whetstone.Training.Tests.Objectives;

public class PolicyLossTests
{
    private static readonly PolicyLossOptions ClipHigher = new() { ClipLow = 0.2f, ClipHigh = 0.28f };

    [Fact]
    public void Loss_and_gradient_match_a_hand_computation()
    {
        // Row of 3 positions, the last off-mask. Token 0: ratio e^0.1 = 1.10517 (inside the clip range);
        // token 1: ratio e^−0.5 = 0.60653 < 1 − ε but A > 0, so min picks the unclipped ratio·A.
        float[] newLp = [-1f, -2f, -0.5f];
        var inputs = new PolicyLossInputs(1, 3, [1f, 1f, 0f], [-1.1f, -1.5f, 0f], [2f]);
        Tensor Build(Tape tape, Tensor x) => PolicyLoss.Compute(tape, x, inputs, ClipHigher).Loss;
        double r0 = Math.Exp(0.1), r1 = Math.Exp(-0.5);
        Assert.Equal(-(2 * r0 + 2 * r1) / 2, ObjectiveGradients.Value(newLp, new Shape(1, 3), Build), 5);
        var g = ObjectiveGradients.Analytic(newLp, new Shape(1, 3), Build);
        Assert.Equal(-2 * r0 / 2, g[0], 5);
        Assert.Equal(-2 * r1 / 2, g[1], 5);
        Assert.Equal(0f, g[2]);
    }

    [Theory]
    [InlineData(LossAggregation.TokenMean, 0f)]
    [InlineData(LossAggregation.TokenMean, 0.1f)]
    [InlineData(LossAggregation.SequenceMean, 0.1f)]
    [InlineData(LossAggregation.FixedLength, 0.05f)]
    public void Gradient_matches_finite_differences(LossAggregation aggregation, float beta)
    {
        const int B = 3, T = 6;
        var rng = new Rng(7);
        var mask = new float[B * T];
        var old = new float[B * T];
        var reference = new float[B * T];
        var x = new float[B * T];
        for (int i = 0; i < B * T; i++)
        {
            mask[i] = i % T == T - 1 || rng.NextFloat() < 0.25f ? 0f : 1f;
            old[i] = -0.5f - 2f * rng.NextFloat();
            reference[i] = old[i] + 0.6f * (rng.NextFloat() - 0.5f);
            // Log-ratios in [−0.6, 0.6], kept 0.03 away from the clip kinks log(0.8) and log(1.28) so ±h stays on one side.
            float d;
            do d = 1.2f * (rng.NextFloat() - 0.5f);
            while (Math.Abs(d - Math.Log(0.8)) < 0.03 || Math.Abs(d - Math.Log(1.28)) < 0.03);
            x[i] = old[i] + d;
        }
        var inputs = new PolicyLossInputs(B, T, mask, old, [1.3f, -0.7f, 0.4f], reference);
        var options = ClipHigher with { Beta = beta, Aggregation = aggregation, FixedLength = 8 };
        Tensor Build(Tape tape, Tensor t) => PolicyLoss.Compute(tape, t, inputs, options).Loss;
        var analytic = ObjectiveGradients.Analytic(x, new Shape(B, T), Build);
        var numeric = ObjectiveGradients.Numeric(x, new Shape(B, T), Build);
        for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(analytic[i] - numeric[i]) < 2e-3, $"position {i}: tape {analytic[i]}, finite differences {numeric[i]}");
        Assert.Contains(analytic, v => Math.Abs(v) > 1e-2);
    }

    [Fact]
    public void Clipped_tokens_pass_no_gradient_and_are_counted()
    {
        // Positions: 0 A>0 ratio 1.5 > 1.28 (clipped), 1 A>0 ratio 0.5 (not clipped: min keeps ratio·A),
        //            2 A<0 ratio 0.5 < 0.8 (clipped),  3 A<0 ratio 1.5 (not clipped: ratio·A is the smaller).
        float l15 = MathF.Log(1.5f), l05 = MathF.Log(0.5f);
        var inputs = new PolicyLossInputs(4, 2, [1f, 0f, 1f, 0f, 1f, 0f, 1f, 0f], new float[8], [1f, 1f, -1f, -1f]);
        float[] x = [l15, 0f, l05, 0f, l05, 0f, l15, 0f];
        var g = ObjectiveGradients.Analytic(x, new Shape(4, 2), (tape, t) => PolicyLoss.Compute(tape, t, inputs, ClipHigher).Loss);
        Assert.Equal(0f, g[0]);
        Assert.Equal(-0.5 / 4, g[2], 6);   // −A·ratio / N
        Assert.Equal(0f, g[4]);
        Assert.Equal(1.5 / 4, g[6], 6);
        using var tape2 = new Tape();
        var m = PolicyLoss.Compute(tape2, tape2.NewTensor(new Shape(4, 2), x), inputs, ClipHigher).Metrics;
        Assert.Equal(4, m.TokenCount);
        Assert.Equal(0.25, m.ClipHighFraction, 9);
        Assert.Equal(0.25, m.ClipLowFraction, 9);
        Assert.Equal(0.5, m.ClipFraction, 9);
        Assert.Equal(1.0, m.MeanRatio, 5);
        Assert.Null(m.ReferenceKl);
        Assert.Null(m.Entropy);
    }

    [Fact]
    public void Aggregations_weigh_tokens_and_sequences_as_documented()
    {
        // ratio = 1 everywhere, so each token's loss is −A. Row 0: 1 token, A = 1; row 1: 3 tokens, A = 2.
        var inputs = new PolicyLossInputs(2, 4, [1f, 0f, 0f, 0f, 1f, 1f, 1f, 0f], new float[8], [1f, 2f]);
        double Loss(LossAggregation a) => ObjectiveGradients.Value(new float[8], new Shape(2, 4),
            (tape, t) => PolicyLoss.Compute(tape, t, inputs, new PolicyLossOptions { Aggregation = a, FixedLength = 4 }).Loss);
        Assert.Equal(-7.0 / 4, Loss(LossAggregation.TokenMean), 6);
        Assert.Equal(-(1.0 + 2.0) / 2, Loss(LossAggregation.SequenceMean), 6);
        Assert.Equal(-7.0 / (2 * 4), Loss(LossAggregation.FixedLength), 6);
    }

    [Fact]
    public void K3_kl_is_non_negative_and_zero_at_the_reference()
    {
        var rng = new Rng(3);
        const int N = 64;
        var x = new float[N];
        var reference = new float[N];
        for (int i = 0; i < N; i++) { x[i] = -3f * rng.NextFloat(); reference[i] = -3f * rng.NextFloat(); }
        var mask = Enumerable.Repeat(1f, N).ToArray();
        // A = 0 and β = 1: the loss is the mean k3 alone; per token it is checked with one-position inputs.
        for (int i = 0; i < N; i++)
        {
            var one = new PolicyLossInputs(1, 1, [1f], [x[i]], [0f], [reference[i]]);
            double k3 = ObjectiveGradients.Value([x[i]], new Shape(1, 1), (tape, t) => PolicyLoss.Compute(tape, t, one, new() { Beta = 1f }).Loss);
            double d = (double)reference[i] - x[i];
            Assert.Equal(Math.Exp(d) - d - 1, k3, 4);
            // The tape computes in float32 (e^d − d − 1 cancels near d = 0); the metric is float64 and never negative.
            Assert.True(k3 >= -1e-6, $"k3 = {k3} at new {x[i]}, ref {reference[i]}");
            using var tape = new Tape();
            var metric = PolicyLoss.Compute(tape, tape.NewTensor(new Shape(1, 1), [x[i]]), one, new() { Beta = 1f }).Metrics.ReferenceKl!.Value;
            Assert.True(metric >= 0);
            Assert.Equal(Math.Exp(d) - d - 1, metric, 6);
        }
        var same = new PolicyLossInputs(1, N, mask, x, [0f], (float[])x.Clone());
        Tensor Build(Tape tape, Tensor t) => PolicyLoss.Compute(tape, t, same, new() { Beta = 1f }).Loss;
        // Float32 exp(0) through the vectorised kernel may round to 1 + 1 ulp: zero to 2.4e-7 on the tape.
        Assert.Equal(0.0, ObjectiveGradients.Value(x, new Shape(1, N), Build), 1e-6);
        Assert.All(ObjectiveGradients.Analytic(x, new Shape(1, N), Build), v => Assert.Equal(0.0, v, 1e-6));
        using var tape2 = new Tape();
        Assert.Equal(0.0, PolicyLoss.Compute(tape2, tape2.NewTensor(new Shape(1, N), x), same, new() { Beta = 1f }).Metrics.ReferenceKl);
    }

    [Fact]
    public void Off_mask_garbage_cannot_overflow_or_leak()
    {
        // Off-mask positions hold absurd log-probs (exp(1000 − 0) would be ∞ and ∞·0 = NaN).
        var inputs = new PolicyLossInputs(1, 3, [1f, 0f, 0f], [-1f, -1000f, 0f], [-1f], [-1f, 500f, 0f]);
        float[] x = [-1f, 0f, -1000f];
        Tensor Build(Tape tape, Tensor t) => PolicyLoss.Compute(tape, t, inputs, new() { Beta = 0.1f }).Loss;
        Assert.Equal(1.0, ObjectiveGradients.Value(x, new Shape(1, 3), Build), 6);
        var g = ObjectiveGradients.Analytic(x, new Shape(1, 3), Build);
        Assert.Equal(1f, g[0], 5); // −A·ratio = 1, k3' = 0 at new = ref
        Assert.Equal(0f, g[1]);
        Assert.Equal(0f, g[2]);
    }

    [Fact]
    public void A_badly_stale_token_stays_finite()
    {
        // log ratio 100 would overflow float's exp; it is bounded at 20 like verl.
        var inputs = new PolicyLossInputs(1, 2, [1f, 0f], [-101f, 0f], [-1f]);
        double loss = ObjectiveGradients.Value([-1f, 0f], new Shape(1, 2), (tape, t) => PolicyLoss.Compute(tape, t, inputs).Loss);
        Assert.Equal(Math.Exp(20), loss, 1e-3 * Math.Exp(20));
    }

    [Fact]
    public void Entropy_metric_is_the_masked_mean_of_the_next_token_entropies()
    {
        using var tape = new Tape();
        var rng = new Rng(11);
        using var logits = Tensor.RandomNormal(new Shape(1, 3, 5), rng);
        var inputs = new PolicyLossInputs(1, 3, [1f, 1f, 0f], new float[3], [1f]);
        var m = PolicyLoss.Compute(tape, tape.NewTensor(new Shape(1, 3)), inputs, logits: logits).Metrics;
        double expected = 0;
        for (int t = 0; t < 2; t++)
        {
            var row = Enumerable.Range(0, 5).Select(v => (double)logits[0, t, v]).ToArray();
            double lse = Math.Log(row.Sum(Math.Exp));
            expected -= row.Sum(z => Math.Exp(z - lse) * (z - lse)) / 2;
        }
        Assert.Equal(expected, m.Entropy!.Value, 5);
    }

    [Fact]
    public void Inputs_from_a_padded_batch_move_mask_and_old_log_probs_to_predicting_positions()
    {
        // Sequence: [prompt, prompt, gen, gen]; target-token mask [0, 0, 1, 1], behaviour log-probs on the generated tokens.
        var s = new TokenizedSequence([5, 6, 7, 8], [0f, 0f, 1f, 1f], [-1, -1, 0, 0], [], oldLogProbs: [0f, 0f, -0.3f, -0.9f]);
        var shorter = new TokenizedSequence([5, 9, 10], [0f, 1f, 1f], [-1, 0, 0], [], oldLogProbs: [0f, -0.1f, -0.2f]);
        var batch = PaddedBatch.Create([s, shorter], [0, 1], padId: 0);
        var inputs = PolicyLossInputs.FromBatch(batch, [1f, -1f]);
        // Position t predicts token t+1: row 0 positions 1, 2 predict the generated tokens; the last position nothing.
        Assert.Equal([0f, 1f, 1f, 0f, 1f, 1f, 0f, 0f], inputs.Mask);
        Assert.Equal([0f, -0.3f, -0.9f, 0f, -0.1f, -0.2f, 0f, 0f], inputs.OldLogProbs);
        var noLogProbs = PaddedBatch.Create([new TokenizedSequence([1, 2], [0f, 1f], [-1, 0], [])], [0], 0);
        Assert.Contains("old log-probs", Assert.Throws<ArgumentException>(() => PolicyLossInputs.FromBatch(noLogProbs, [1f])).Message);
    }

    [Fact]
    public void Per_position_advantages_weigh_each_token_on_its_own()
    {
        // Ratio 1 everywhere: loss = −Σ mᵢ·Aᵢ / Σ m. Row advantages are the special case of constant rows.
        var mask = new float[] { 1f, 1f, 0f, 1f, 0f, 0f };
        double Loss(float[] adv) => ObjectiveGradients.Value(new float[6], new Shape(2, 3),
            (tape, t) => PolicyLoss.Compute(tape, t, new PolicyLossInputs(2, 3, mask, new float[6], adv)).Loss);
        Assert.Equal(-(0.5 + 2 + 3) / 3, Loss([0.5f, 2f, 9f, 3f, 9f, 9f]), 5);
        Assert.Equal(Loss([1f, 1f, 1f, -2f, -2f, -2f]), Loss([1f, -2f]), 6);
        var g = ObjectiveGradients.Analytic(new float[6], new Shape(2, 3),
            (tape, t) => PolicyLoss.Compute(tape, t, new PolicyLossInputs(2, 3, mask, new float[6], [0.5f, 2f, 9f, 3f, 9f, 9f])).Loss);
        double[] expected = [-0.5 / 3, -2.0 / 3, 0, -1, 0, 0]; // −mᵢ·Aᵢ / Σ m
        for (int i = 0; i < 6; i++) Assert.Equal(expected[i], g[i], 5);
    }

    [Fact]
    public void Bad_input_is_rejected_with_a_reason()
    {
        Assert.Contains("one per row", Assert.Throws<ArgumentException>(() => new PolicyLossInputs(2, 2, new float[4], new float[4], [1f])).Message);
        Assert.Contains("mask", Assert.Throws<ArgumentException>(() => new PolicyLossInputs(1, 2, new float[3], new float[2], [1f])).Message);
        var inputs = new PolicyLossInputs(1, 2, [1f, 0f], new float[2], [1f]);
        using var tape = new Tape();
        Assert.Contains("reference", Assert.Throws<ArgumentException>(() => PolicyLoss.Compute(tape, tape.NewTensor(new Shape(1, 2)), inputs, new() { Beta = 0.1f })).Message);
        Assert.Throws<ArgumentException>(() => PolicyLoss.Compute(tape, tape.NewTensor(new Shape(1, 3)), inputs));
        Assert.Throws<ArgumentOutOfRangeException>(() => PolicyLoss.Compute(tape, tape.NewTensor(new Shape(1, 2)), inputs, new() { Aggregation = LossAggregation.FixedLength }));
    }
}
