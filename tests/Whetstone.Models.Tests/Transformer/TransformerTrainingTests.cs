using Whetstone.Models.Transformer;
using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Optim;

namespace Whetstone.Models.Tests.Transformer;

public class TransformerTrainingTests
{
    private static double Loss(TransformerModel model, int[] ids, float[] mask, int batch, int length)
    {
        using var tape = new Tape();
        using (tape.NoGrad())
        {
            var logits = model.Forward(tape, ids, batch, length);
            return CausalLmLoss.NextToken(tape, logits, ids, mask, LossReduction.Sum)[0];
        }
    }

    [Theory]
    [MemberData(nameof(TinyConfigs.All), MemberType = typeof(TinyConfigs))]
    public void Gradients_of_the_whole_model_match_finite_differences(string family)
    {
        var config = TinyConfigs.ByName(family);
        using var model = TransformerModel.Create(config, seed: 3, std: 0.3f);
        TinyConfigs.Perturb(model, 4);
        const int batch = 2, length = 5;
        var ids = TinyConfigs.RandomIds(batch * length, config.VocabSize, 5);
        var mask = new float[] { 0, 1, 1, 0, 1, 0, 0, 1, 1, 1 };
        foreach (var p in model.Parameters) p.Value.RequiresGrad = true;
        using (var tape = new Tape())
        {
            var logits = model.Forward(tape, ids, batch, length);
            tape.Backward(CausalLmLoss.NextToken(tape, logits, ids, mask, LossReduction.Sum));
        }

        var rng = new Rng(6);
        int checkedCount = 0;
        foreach (var p in model.Parameters)
        {
            var values = p.Value.AsSpan();
            var grad = p.Grad!.ToArray();
            for (int s = 0; s < 3; s++)
            {
                int j = rng.NextInt(values.Length);
                float orig = values[j];
                const float h = 1e-2f;
                values[j] = orig + h;
                double plus = Loss(model, ids, mask, batch, length);
                values[j] = orig - h;
                double minus = Loss(model, ids, mask, batch, length);
                values[j] = orig;
                double numeric = (plus - minus) / ((double)(orig + h) - (orig - h));
                Assert.True(Math.Abs(numeric - grad[j]) <= 2e-3 + 3e-2 * Math.Abs(numeric),
                    $"{p.Name}[{j}]: backward {grad[j]:G6}, finite difference {numeric:G6}");
                checkedCount++;
            }
        }
        Assert.True(checkedCount >= 3 * 20);
    }

    [Fact]
    public void Overfitting_a_tiny_batch_with_AdamW_drives_the_loss_down()
    {
        var config = TinyConfigs.Qwen3();
        using var model = TransformerModel.Create(config, seed: 1);
        foreach (var p in model.Parameters) p.Value.RequiresGrad = true;
        const int batch = 2, length = 8;
        var ids = TinyConfigs.RandomIds(batch * length, config.VocabSize, 2);
        var mask = Enumerable.Repeat(1f, batch * length).ToArray();
        var opt = new AdamW(model.Parameters, new AdamWOptions { LearningRate = 1e-2f, WeightDecay = 0f });
        using var tape = new Tape();
        float first = 0, last = 0;
        for (int step = 0; step < 80; step++)
        {
            var logits = model.Forward(tape, ids, batch, length);
            var loss = CausalLmLoss.NextToken(tape, logits, ids, mask);
            if (step == 0) first = loss[0];
            last = loss[0];
            tape.Backward(loss);
            opt.Step();
            model.Parameters.ZeroGrad();
            tape.Reset();
        }
        Assert.InRange(first, 3.0f, 4.5f);                 // ≈ ln(43) for a fresh model
        Assert.True(last < 0.3f * first, $"loss went from {first} to {last}");
    }

    [Theory]
    [MemberData(nameof(TinyConfigs.All), MemberType = typeof(TinyConfigs))]
    public void Right_padding_leaves_the_real_tokens_logits_unchanged(string family)
    {
        var config = TinyConfigs.ByName(family);
        using var model = TransformerModel.Create(config, seed: 9, std: 0.2f);
        var shortIds = TinyConfigs.RandomIds(4, config.VocabSize, 10);
        var longIds = TinyConfigs.RandomIds(7, config.VocabSize, 11);
        var batchIds = shortIds.Concat([0, 0, 0]).Concat(longIds).ToArray();
        using var tape = new Tape();
        using var _ = tape.NoGrad();
        var alone = model.Forward(tape, shortIds, 1, 4).ToArray();
        var batched = model.Forward(tape, batchIds, 2, 7);
        int v = config.VocabSize;
        for (int t = 0; t < 4; t++)
            for (int i = 0; i < v; i++)
                Assert.True(Math.Abs(alone[t * v + i] - batched[0, t, i]) <= 1e-5f, $"t={t} i={i}: {alone[t * v + i]} vs {batched[0, t, i]}");
    }
}
