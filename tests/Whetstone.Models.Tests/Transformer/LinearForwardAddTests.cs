using Whetstone.Models.Transformer;
using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Models.Tests.Transformer;

/// <summary><see cref="LinearLayer.ForwardAdd"/> equals residual + Forward(x) on every path, fused or not.</summary>
public class LinearForwardAddTests
{
    /// <summary>Reads its base output (doubles it): the layer must not hand it a residual-carrying sum.</summary>
    private sealed class Doubling : ILinearExtension
    {
        public Tensor Forward(Tape tape, Tensor x, Tensor baseOutput) => tape.Scale(baseOutput, 2f);

        public void AddTo(ReadOnlySpan<float> x, Span<float> output, int rows)
        {
            for (int i = 0; i < output.Length; i++) output[i] *= 2f;
        }
    }

    /// <summary>Adds a fixed delta x·Dᵀ and says so.</summary>
    private sealed class AddsDelta(Tensor delta) : ILinearExtension
    {
        public bool OnlyAddsDelta => true;

        public Tensor Forward(Tape tape, Tensor x, Tensor baseOutput) => tape.AccumulateLinear(baseOutput, x, delta);

        public void AddTo(ReadOnlySpan<float> x, Span<float> output, int rows) => throw new NotSupportedException();
    }

    private static void AssertSameAsUnfused(LinearLayer layer, bool expectOneBuffer)
    {
        var rng = new Rng(41);
        using var x = Tensor.RandomNormal(new Shape(3, layer.InFeatures), rng);
        using var residual = Tensor.RandomNormal(new Shape(3, layer.OutFeatures), rng);
        using var tape = new Tape();
        var expected = tape.Add(residual, layer.Forward(tape, x)).ToArray();
        tape.ResetPeakBytes();
        long before = tape.PeakBytesInUse;
        var got = layer.ForwardAdd(tape, x, residual).ToArray();
        // Same terms, summed in a different order: equal up to float rounding.
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - got[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"[{i}] {expected[i]} vs {got[i]}");
        long grew = tape.PeakBytesInUse - before;
        if (expectOneBuffer) Assert.True(grew <= 3 * layer.OutFeatures * sizeof(float) * 5 / 4, $"{grew} B for a (3, {layer.OutFeatures}) result");
    }

    [Fact]
    public void Plain_layer_fuses_into_one_buffer()
    {
        var rng = new Rng(42);
        using var w = Tensor.RandomNormal(new Shape(64, 16), rng);
        AssertSameAsUnfused(new LinearLayer("p", w, null), expectOneBuffer: true);
    }

    [Fact]
    public void Layer_with_a_bias_takes_the_unfused_path()
    {
        var rng = new Rng(43);
        using var w = Tensor.RandomNormal(new Shape(8, 5), rng);
        using var b = Tensor.RandomNormal(new Shape(8), rng);
        AssertSameAsUnfused(new LinearLayer("p", w, b), expectOneBuffer: false);
    }

    [Fact]
    public void Extension_that_reads_its_base_output_is_never_given_the_residual()
    {
        var rng = new Rng(44);
        using var w = Tensor.RandomNormal(new Shape(8, 5), rng);
        AssertSameAsUnfused(new LinearLayer("p", w, null) { Extension = new Doubling() }, expectOneBuffer: false);
    }

    [Fact]
    public void Additive_extension_accumulates_into_the_fused_sum()
    {
        var rng = new Rng(45);
        using var w = Tensor.RandomNormal(new Shape(64, 16), rng);
        using var d = Tensor.RandomNormal(new Shape(64, 16), rng);
        AssertSameAsUnfused(new LinearLayer("p", w, null) { Extension = new AddsDelta(d) }, expectOneBuffer: true);
    }
}
