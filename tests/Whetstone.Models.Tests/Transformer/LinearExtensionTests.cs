using Whetstone.Models.Generation;
using Whetstone.Models.Transformer;
using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Models.Tests.Transformer;

public class LinearExtensionTests
{
    /// <summary>A hand-written adapter: y + x·Dᵀ with a fixed D (out, in), the shape of a merged LoRA delta.</summary>
    private sealed class FixedDelta(Tensor delta) : ILinearExtension
    {
        public int Calls { get; private set; }

        public Tensor Forward(Tape tape, Tensor x, Tensor baseOutput)
        {
            Calls++;
            return tape.Add(baseOutput, tape.MatMul(x, delta, transposeB: true));
        }

        public void AddTo(ReadOnlySpan<float> x, Span<float> output, int rows)
        {
            Calls++;
            int n = delta.Shape[0], k = delta.Shape[1];
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < n; j++)
                {
                    float s = 0;
                    for (int p = 0; p < k; p++) s += x[r * k + p] * delta[j, p];
                    output[r * n + j] += s;
                }
        }
    }

    [Fact]
    public void An_extension_on_projections_changes_both_the_tape_and_the_inference_path_alike()
    {
        var config = TinyConfigs.Qwen2();
        using var model = TransformerModel.Create(config, seed: 5, std: 0.3f);
        var ids = TinyConfigs.RandomIds(6, config.VocabSize, 6);
        float[] Tape()
        {
            using var tape = new Tape();
            using var _ = tape.NoGrad();
            return model.Forward(tape, ids, 1, ids.Length).ToArray();
        }
        var plain = Tape();

        var rng = new Rng(7);
        var adapters = new List<FixedDelta>();
        foreach (var block in model.Blocks)
            foreach (var (name, layer) in block.Projections())
                if (name is "q_proj" or "v_proj" or "down_proj")
                {
                    var a = new FixedDelta(Tensor.RandomNormal(new Shape(layer.OutFeatures, layer.InFeatures), rng, std: 0.2f));
                    layer.Extension = a;
                    adapters.Add(a);
                }
        var adapted = Tape();
        Assert.True(plain.Zip(adapted).Max(p => Math.Abs(p.First - p.Second)) > 1e-3f);

        using var engine = new InferenceEngine(model);
        using var cache = engine.CreateCache(8);
        var inference = engine.ForwardAllLogits(cache, ids);
        for (int i = 0; i < adapted.Length; i++)
            Assert.True(Math.Abs(adapted[i] - inference[i]) <= 1e-4f, $"[{i}] {adapted[i]} vs {inference[i]}");
        Assert.All(adapters, a => Assert.Equal(2, a.Calls));
    }
}
