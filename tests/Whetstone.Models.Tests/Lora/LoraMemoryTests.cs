using Whetstone.Models.Configuration;
using Whetstone.Models.Lora;
using Whetstone.Models.Tests.Transformer;
using Whetstone.Models.Transformer;
using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;
using static Whetstone.Models.Tests.Lora.LoraFixtures;

namespace Whetstone.Models.Tests.Lora;

/// <summary>
/// What a LoRA SFT step keeps on the tape: gradients must not change when buffers are released early, and the
/// tape's peak bytes must drop. Widths are large enough that an output-sized buffer dwarfs a rank-sized one.
/// </summary>
public class LoraMemoryTests
{
    private const int Batch = 2, Length = 8;

    private static ModelConfig Config() => new()
    {
        Family = ModelFamily.Llama, VocabSize = 50, HiddenSize = 64, IntermediateSize = 96, NumLayers = 2,
        NumHeads = 4, NumKeyValueHeads = 2, HeadDim = 16, MaxPositionEmbeddings = 64, RmsNormEps = 1e-5f,
        RopeTheta = 10000, TieWordEmbeddings = false,
    };

    private static (Dictionary<string, float[]> Grads, long Peak) Step(TransformerModel model, LoraModel lora, int[] ids, bool retain)
    {
        lora.Parameters.ZeroGrad();
        var mask = Enumerable.Repeat(1f, ids.Length).ToArray();
        using var tape = new Tape { RetainResultGradients = retain };
        var logits = model.Forward(tape, ids, Batch, Length);
        tape.Backward(CausalLmLoss.NextToken(tape, logits, ids, mask));
        return (lora.Parameters.ToDictionary(p => p.Name, p => p.Grad!.ToArray()), tape.PeakBytesInUse);
    }

    [Fact]
    public void Releasing_consumed_gradients_keeps_adapter_gradients_bit_identical_and_lowers_the_peak()
    {
        using var model = TransformerModel.Create(Config(), seed: 1, std: 0.2f);
        using var lora = LoraModel.Attach(model, AllTargets(rank: 2, alpha: 4));
        RandomizeB(lora, 2, std: 0.2f);
        var ids = TinyConfigs.RandomIds(Batch * Length, 50, 3);
        var kept = Step(model, lora, ids, retain: true);
        var released = Step(model, lora, ids, retain: false);
        foreach (var (name, g) in kept.Grads) Assert.Equal(g, released.Grads[name]);
        Assert.True(released.Peak < kept.Peak * 0.8, $"peak {released.Peak} B with release, {kept.Peak} B retained");
    }

    [Fact]
    public void Adapters_add_no_output_sized_buffer_to_the_forward_pass()
    {
        using var model = TransformerModel.Create(Config(), seed: 1, std: 0.2f);
        using var lora = LoraModel.Attach(model, AllTargets(rank: 2, alpha: 4));
        var ids = TinyConfigs.RandomIds(Batch * Length, 50, 3);
        long Forward()
        {
            using var tape = new Tape();
            model.Forward(tape, ids, Batch, Length);
            return tape.PeakBytesInUse;
        }
        long adapted = Forward();
        long plain;
        using (lora.DisableAdapters()) plain = Forward();
        // Each adapter keeps only its two (rows, r) activations; one (rows, out) buffer per adapter would be far more.
        int adapters = lora.Layers.Count, rows = Batch * Length, smallestOut = 2 * 16;
        Assert.True(adapted - plain < (long)adapters * rows * smallestOut * sizeof(float),
            $"adapters add {adapted - plain} B to a {plain} B forward pass");
    }

    [Theory]
    [InlineData(LossReduction.Mean)]
    [InlineData(LossReduction.Sum)]
    public void Loss_from_hidden_states_equals_the_loss_from_logits(LossReduction reduction)
    {
        using var model = TransformerModel.Create(Config(), seed: 1, std: 0.2f);
        using var lora = LoraModel.Attach(model, AllTargets(rank: 2, alpha: 4));
        RandomizeB(lora, 2, std: 0.2f);
        var ids = TinyConfigs.RandomIds(Batch * Length, 50, 3);
        float[] mask = [0, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0];
        (float Loss, Dictionary<string, float[]> Grads, long Peak) Run(bool fromHidden)
        {
            lora.Parameters.ZeroGrad();
            using var tape = new Tape();
            var loss = fromHidden
                ? CausalLmLoss.NextTokenFromHidden(tape, model.ForwardHidden(tape, ids, Batch, Length), model.LmHead, ids, mask, reduction)
                : CausalLmLoss.NextToken(tape, model.Forward(tape, ids, Batch, Length), ids, mask, reduction);
            float value = loss[0];
            tape.Backward(loss);
            return (value, lora.Parameters.ToDictionary(p => p.Name, p => p.Grad!.ToArray()), tape.PeakBytesInUse);
        }
        var logits = Run(fromHidden: false);
        var hidden = Run(fromHidden: true);
        Assert.Equal(logits.Loss, hidden.Loss, 4);
        foreach (var (name, g) in logits.Grads)
            for (int i = 0; i < g.Length; i++)
                Assert.True(Math.Abs(g[i] - hidden.Grads[name][i]) <= 1e-6f + 1e-4f * Math.Abs(g[i]), $"{name}[{i}]: {g[i]} vs {hidden.Grads[name][i]}");
    }
}
