using Whetstone.Models.Lora;
using Whetstone.Models.Tests.Transformer;
using Whetstone.Models.Transformer;
using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Optim;
using static Whetstone.Models.Tests.Lora.LoraFixtures;

namespace Whetstone.Models.Tests.Lora;

public class LoraGradientTests
{
    private static readonly float[] Mask = [0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1];

    private static double Loss(TransformerModel model, int[] ids)
    {
        using var tape = new Tape();
        using var _ = tape.NoGrad();
        var logits = model.Forward(tape, ids, 2, ids.Length / 2);
        return CausalLmLoss.NextToken(tape, logits, ids, Mask, LossReduction.Sum)[0];
    }

    [Theory]
    [MemberData(nameof(TinyConfigs.All), MemberType = typeof(TinyConfigs))]
    public void Gradients_of_A_and_B_match_finite_differences_and_only_adapters_get_gradients(string family)
    {
        var config = TinyConfigs.ByName(family);
        using var model = TransformerModel.Create(config, seed: 3, std: 0.3f);
        TinyConfigs.Perturb(model, 4);
        var ids = TinyConfigs.RandomIds(16, config.VocabSize, 5);
        using var lora = LoraModel.Attach(model, AllTargets(rank: 3, alpha: 6));
        RandomizeB(lora, 6, std: 0.3f);
        using (var tape = new Tape())
        {
            var logits = model.Forward(tape, ids, 2, 8);
            tape.Backward(CausalLmLoss.NextToken(tape, logits, ids, Mask, LossReduction.Sum));
        }
        Assert.All(model.Parameters, p => Assert.True(p.Grad is null || p.Grad.ToArray().All(g => g == 0f), p.Name));

        var rng = new Rng(7);
        foreach (var p in lora.Parameters)
        {
            Assert.NotNull(p.Grad);
            var grad = p.Grad!.ToArray();
            Assert.True(grad.Any(g => g != 0f), $"{p.Name} got no gradient");
            var values = p.Value.AsSpan();
            for (int s = 0; s < 2; s++)
            {
                int j = rng.NextInt(values.Length);
                float orig = values[j];
                const float h = 1e-2f;
                values[j] = orig + h;
                double plus = Loss(model, ids);
                values[j] = orig - h;
                double minus = Loss(model, ids);
                values[j] = orig;
                double numeric = (plus - minus) / ((double)(orig + h) - (orig - h));
                Assert.True(Math.Abs(numeric - grad[j]) <= 2e-3 + 3e-2 * Math.Abs(numeric),
                    $"{p.Name}[{j}]: backward {grad[j]:G6}, finite difference {numeric:G6}");
            }
        }
    }

    [Fact]
    public void Training_only_the_adapters_lowers_the_loss_and_leaves_the_base_weights_bit_identical()
    {
        var config = TinyConfigs.Qwen3();
        using var model = TransformerModel.Create(config, seed: 8, std: 0.3f);
        var baseWeights = Snapshot(model);
        // A tiny memorisation task: two fixed sequences.
        var ids = TinyConfigs.RandomIds(16, config.VocabSize, 9);
        var mask = Enumerable.Repeat(1f, 16).ToArray();
        using var lora = LoraModel.Attach(model, AllTargets(rank: 4, alpha: 8, dropout: 0.05f));
        var opt = new AdamW(lora.Parameters, new AdamWOptions { LearningRate = 3e-2f, WeightDecay = 0f });
        using var tape = new Tape();
        float first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            var logits = model.Forward(tape, ids, 2, 8);
            var loss = CausalLmLoss.NextToken(tape, logits, ids, mask);
            if (step == 0) first = loss[0];
            last = loss[0];
            tape.Backward(loss);
            opt.Step();
            lora.Parameters.ZeroGrad();
            tape.Reset();
        }
        Assert.True(last < 0.5f * first, $"loss {first} → {last}");
        foreach (var p in model.Parameters)
            Assert.Equal(baseWeights[p.Name], p.Value.ToArray());
        // The reference model (adapters off) still scores exactly like the untrained start (B was 0 at step 0).
        using (lora.DisableAdapters())
        {
            var logits = model.Forward(tape, ids, 2, 8);
            Assert.Equal(first, CausalLmLoss.NextToken(tape, logits, ids, mask)[0]);
            tape.Reset();
        }
    }
}
