using Whetstone.Models.Transformer;
using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Optim;
using Whetstone.Training.Objectives;

namespace Whetstone.Training.Tests.Objectives;

/// <summary>GRPO invariants through a real (tiny) transformer.</summary>
public class PolicyLossInvariantTests
{
    private const int B = 4, T = 7, Prompt = 3;

    [Fact]
    public void Equal_rewards_give_an_exactly_zero_policy_gradient()
    {
        using var model = TinyPolicy.Create();
        var ids = TinyPolicy.Ids(B * T, seed: 2);
        var mask = PredictionPositions.FromTargets(TinyPolicy.CompletionMask(B, T, Prompt), B, T);
        var advantages = GroupAdvantages.ForGroups([0.5f, 0.5f, 0.5f, 0.5f], groupSize: 4).Advantages;
        using var tape = new Tape();
        var newLp = CausalLmLoss.NextTokenLogProbs(tape, model.Forward(tape, ids, B, T), ids);
        // A stale behaviour policy (ratio ≠ 1, some tokens clipped) must not matter either.
        var old = newLp.ToArray().Select((v, i) => v + 0.4f * MathF.Sin(i)).ToArray();
        var loss = PolicyLoss.Compute(tape, newLp, new PolicyLossInputs(B, T, mask, old, advantages), new() { ClipHigh = 0.28f }).Loss;
        tape.Backward(loss);
        Assert.Equal(0f, loss.AsSpan()[0]);
        foreach (var p in model.Parameters)
            Assert.True(p.Grad is null || p.Grad.AsSpan().IndexOfAnyExcept(0f) < 0, $"{p.Name} has a non-zero gradient");
    }

    [Fact]
    public void At_ratio_one_without_kl_the_gradient_is_reinforce()
    {
        using var model = TinyPolicy.Create(seed: 3);
        var ids = TinyPolicy.Ids(B * T, seed: 4);
        var targetMask = TinyPolicy.CompletionMask(B, T, Prompt);
        var mask = PredictionPositions.FromTargets(targetMask, B, T);
        float[] advantages = [1.2f, -0.4f, 0.9f, -1.7f];

        // GRPO with old = new (first inner epoch), β = 0, token-level mean.
        using var tape = new Tape();
        var newLp = CausalLmLoss.NextTokenLogProbs(tape, model.Forward(tape, ids, B, T), ids);
        var inputs = new PolicyLossInputs(B, T, mask, newLp.ToArray(), advantages);
        tape.Backward(PolicyLoss.Compute(tape, newLp, inputs).Loss);
        var grpo = model.Parameters.Select(p => p.Grad!.ToArray()).ToList();
        model.Parameters.ZeroGrad();
        tape.Reset();

        // REINFORCE: −(1/N) Σ A_b · log π(token), as a weighted cross-entropy with weights A_b·mask / N.
        int n = (int)targetMask.Sum();
        var weights = targetMask.Select((m, i) => m * advantages[i / T] / n).ToArray();
        tape.Backward(CausalLmLoss.NextToken(tape, model.Forward(tape, ids, B, T), ids, weights, LossReduction.Sum));
        for (int k = 0; k < model.Parameters.Count; k++)
        {
            var expected = model.Parameters[k].Grad!.AsSpan();
            double scale = 1e-6;
            for (int i = 0; i < expected.Length; i++) scale = Math.Max(scale, Math.Abs(expected[i]));
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(grpo[k][i] - expected[i]) <= 1e-4 * scale,
                    $"{model.Parameters[k].Name}[{i}]: GRPO {grpo[k][i]}, REINFORCE {expected[i]}");
            Assert.True(scale > 1e-5, $"{model.Parameters[k].Name}: gradient unexpectedly zero");
        }
    }

    [Fact]
    public void Repeated_inner_epochs_reuse_the_same_inputs()
    {
        using var model = TinyPolicy.Create(seed: 5);
        var ids = TinyPolicy.Ids(B * T, seed: 6);
        var mask = PredictionPositions.FromTargets(TinyPolicy.CompletionMask(B, T, Prompt), B, T);
        using var tape = new Tape();
        float[] old;
        using (tape.NoGrad()) old = CausalLmLoss.NextTokenLogProbs(tape, model.Forward(tape, ids, B, T), ids).ToArray();
        tape.Reset();
        var inputs = new PolicyLossInputs(B, T, mask, old, [1f, -1f, 0.5f, -0.5f]);
        var oldCopy = (float[])old.Clone();
        var opt = new AdamW(model.Parameters, new AdamWOptions { LearningRate = 0.05f });
        var ratios = new List<double>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var newLp = CausalLmLoss.NextTokenLogProbs(tape, model.Forward(tape, ids, B, T), ids);
            var result = PolicyLoss.Compute(tape, newLp, inputs);
            ratios.Add(result.Metrics.ApproxKl);
            tape.Backward(result.Loss);
            opt.Step();
            model.Parameters.ZeroGrad();
            tape.Reset();
        }
        Assert.Equal(oldCopy, inputs.OldLogProbs);
        Assert.Equal(0.0, ratios[0], 6);          // first epoch: new = old
        Assert.True(ratios[2] > 0, "the policy moved away from the behaviour policy over the inner epochs");
    }
}

/// <summary>Gradient accumulation: micro-batches with step-wide normalisers add up to the full batch.</summary>
public class PolicyLossAccumulationTests
{
    private const int B = 4, T = 7;

    [Theory]
    [InlineData(LossAggregation.TokenMean)]
    [InlineData(LossAggregation.SequenceMean)]
    [InlineData(LossAggregation.FixedLength)]
    public void Two_micro_batches_of_two_accumulate_to_one_batch_of_four(LossAggregation aggregation)
    {
        using var model = TinyPolicy.Create(seed: 12);
        var ids = TinyPolicy.Ids(B * T, seed: 13);
        // Rows with different completion lengths, so micro-batch and step normalisers differ.
        var targetMask = new float[B * T];
        int[] prompt = [2, 4, 3, 5];
        for (int b = 0; b < B; b++) for (int t = prompt[b]; t < T; t++) targetMask[b * T + t] = 1f;
        var mask = PredictionPositions.FromTargets(targetMask, B, T);
        float[] advantages = [0.8f, -1.1f, 0.3f, -0.2f];
        using var tape = new Tape();
        float[] old;
        using (tape.NoGrad()) old = CausalLmLoss.NextTokenLogProbs(tape, model.Forward(tape, ids, B, T), ids).ToArray().Select((v, i) => v - 0.15f * MathF.Cos(i)).ToArray();
        tape.Reset();

        var full = new PolicyLossOptions { Aggregation = aggregation, FixedLength = 6, ClipHigh = 0.28f };
        var newLp = CausalLmLoss.NextTokenLogProbs(tape, model.Forward(tape, ids, B, T), ids);
        tape.Backward(PolicyLoss.Compute(tape, newLp, new PolicyLossInputs(B, T, mask, old, advantages), full).Loss);
        var expected = model.Parameters.Select(p => p.Grad!.ToArray()).ToList();
        model.Parameters.ZeroGrad();
        tape.Reset();

        var step = full with { StepMaskTotal = mask.Sum(), StepSequenceCount = B };
        for (int half = 0; half < 2; half++)
        {
            int rows = B / 2, from = half * rows * T, count = rows * T;
            var microIds = ids[from..(from + count)];
            var lp = CausalLmLoss.NextTokenLogProbs(tape, model.Forward(tape, microIds, rows, T), microIds);
            var inputs = new PolicyLossInputs(rows, T, mask[from..(from + count)], old[from..(from + count)], advantages[(half * rows)..((half + 1) * rows)]);
            tape.Backward(PolicyLoss.Compute(tape, lp, inputs, step).Loss);
            tape.Reset();
        }
        for (int k = 0; k < model.Parameters.Count; k++)
        {
            var actual = model.Parameters[k].Grad!.AsSpan();
            double scale = expected[k].Max(v => Math.Abs(v)) + 1e-7;
            for (int i = 0; i < actual.Length; i++)
                Assert.True(Math.Abs(actual[i] - expected[k][i]) <= 1e-4 * scale, $"{model.Parameters[k].Name}[{i}]: 2×2 {actual[i]}, 1×4 {expected[k][i]}");
        }
    }
}
