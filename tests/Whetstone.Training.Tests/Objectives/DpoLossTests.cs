using Whetstone.Models.Transformer;
using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;
using Whetstone.Training.Objectives;

namespace Whetstone.Training.Tests.Objectives;

public class DpoLossTests
{
    [Fact]
    public void Loss_and_metrics_match_a_hand_computation()
    {
        // β = 0.1, π_c = −5, π_r = −7, ref_c = ref_r = −6: z = 0.1·(1 − (−1)) = 0.2, loss = log(1 + e^−0.2).
        using var tape = new Tape();
        var chosen = tape.NewTensor(new Shape(1), [-5f]);
        var rejected = tape.NewTensor(new Shape(1), [-7f]);
        var result = DpoLoss.Compute(tape, chosen, rejected, [-6f], [-6f]);
        Assert.Equal(Math.Log(1 + Math.Exp(-0.2)), result.Loss.AsSpan()[0], 6);
        Assert.Equal(0.1, result.Metrics.ChosenReward, 6);
        Assert.Equal(-0.1, result.Metrics.RejectedReward, 6);
        Assert.Equal(0.2, result.Metrics.RewardMargin, 6);
        Assert.Equal(1.0, result.Metrics.RewardAccuracy);
        Assert.Equal(1, result.Metrics.PairCount);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void Gradient_matches_finite_differences_and_the_closed_form(float smoothing)
    {
        const int P = 3;
        float[] refC = [-10f, -4f, -6.5f], refR = [-9f, -5f, -6f];
        float[] x = [-9.5f, -3f, -7f, -8f, -6.5f, -5f]; // (2P): chosen then rejected
        var options = new DpoOptions { Beta = 0.5f, LabelSmoothing = smoothing };
        float[] reference = [.. refC, .. refR];
        Tensor Build(Tape tape, Tensor t) => DpoLoss.Compute(tape, t, reference, options).Loss;
        var analytic = ObjectiveGradients.Analytic(x, new Shape(2 * P), Build);
        var numeric = ObjectiveGradients.Numeric(x, new Shape(2 * P), Build);
        for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(analytic[i] - numeric[i]) < 1e-3, $"{i}: tape {analytic[i]}, finite differences {numeric[i]}");
        for (int p = 0; p < P; p++)
        {
            // d/dπ_c = −β/P·((1 − ε)·σ(−z) − ε·σ(z)), and the opposite for π_r.
            double z = 0.5 * ((x[p] - refC[p]) - (x[P + p] - refR[p]));
            double expected = -0.5 / P * ((1 - smoothing) / (1 + Math.Exp(z)) - smoothing / (1 + Math.Exp(-z)));
            Assert.Equal(expected, analytic[p], 5);
            Assert.Equal(-expected, analytic[P + p], 5);
        }
    }

    [Fact]
    public void Policy_equal_to_reference_gives_log_2()
    {
        using var model = TinyPolicy.Create(seed: 9);
        const int P = 3, T = 6;
        var ids = TinyPolicy.Ids(2 * P * T, seed: 10);
        var mask = TinyPolicy.CompletionMask(2 * P, T, prompt: 2);
        using var tape = new Tape();
        float[] reference;
        using (tape.NoGrad())
            reference = SequenceLogProbs.Sum(tape, CausalLmLoss.NextTokenLogProbs(tape, model.Forward(tape, ids, 2 * P, T), ids), mask).ToArray();
        var policy = SequenceLogProbs.Sum(tape, CausalLmLoss.NextTokenLogProbs(tape, model.Forward(tape, ids, 2 * P, T), ids), mask);
        var result = DpoLoss.Compute(tape, policy, reference, new DpoOptions { Beta = 0.3f });
        Assert.Equal(Math.Log(2), result.Loss.AsSpan()[0], 1e-6);
        Assert.Equal(0.0, result.Metrics.RewardMargin);
        Assert.Equal(0.0, result.Metrics.RewardAccuracy); // ties are not wins, as TRL's chosen > rejected
        tape.Backward(result.Loss);
        Assert.Contains(model.Parameters, p => p.Grad!.AsSpan().IndexOfAnyExcept(0f) >= 0);
    }

    [Fact]
    public void Concatenated_and_separate_sums_agree()
    {
        float[] x = [-3f, -4f, -5f, -2f];
        float[] reference = [-3.5f, -4.5f, -4f, -2.5f];
        var joint = ObjectiveGradients.Analytic(x, new Shape(4), (tape, t) => DpoLoss.Compute(tape, t, reference).Loss);
        using var tape = new Tape();
        using var c = Tensor.FromArray([-3f, -4f]);
        using var r = Tensor.FromArray([-5f, -2f]);
        c.RequiresGrad = r.RequiresGrad = true;
        var loss = DpoLoss.Compute(tape, c, r, reference[..2], reference[2..]).Loss;
        tape.Backward(loss);
        Assert.Equal(ObjectiveGradients.Value(x, new Shape(4), (tp, t) => DpoLoss.Compute(tp, t, reference).Loss), loss.AsSpan()[0], 6);
        float[] separate = [.. c.Grad!.ToArray(), .. r.Grad!.ToArray()];
        Assert.Equal(joint, separate);
    }

    [Fact]
    public void Sequence_sums_use_the_target_mask_on_predicting_positions()
    {
        // (2, 3) next-token log-probs; position t holds log p(token t+1). Target masks [0, 1, 1] and [0, 0, 1].
        float[] lp = [-1f, -2f, -4f, -8f, -16f, -32f];
        float[] mask = [0f, 1f, 1f, 0f, 0f, 1f];
        var sums = ObjectiveGradients.Analytic(lp, new Shape(2, 3), (tape, t) => tape.Sum(SequenceLogProbs.Sum(tape, t, mask)));
        Assert.Equal([1f, 1f, 0f, 0f, 1f, 0f], sums);
        using var tape = new Tape();
        Assert.Equal([-3f, -16f], SequenceLogProbs.Sum(tape, tape.NewTensor(new Shape(2, 3), lp), mask).ToArray());
    }

    [Fact]
    public void Bad_input_is_rejected_with_a_reason()
    {
        using var tape = new Tape();
        var odd = tape.NewTensor(new Shape(3));
        Assert.Throws<ArgumentException>(() => DpoLoss.Compute(tape, odd, new float[3]));
        var two = tape.NewTensor(new Shape(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => DpoLoss.Compute(tape, two, new float[2], new DpoOptions { Beta = 0f }));
        Assert.Contains("not finite", Assert.Throws<ArgumentException>(() => DpoLoss.Compute(tape, two, [float.NaN, 0f])).Message);
    }
}
