using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Kernels;

namespace Whetstone.Tensors.Tests.Autograd;

/// <summary>The fused <see cref="Tape.CausalAttention"/> against the plain-loop reference and against the unfused op chain.</summary>
public class CausalAttentionGradTests
{
    /// <summary>The unfused chain the model used before: split heads, repeat k/v, scores, causal softmax, P·v, merge heads.</summary>
    private static Tensor Unfused(Tape t, Tensor q, Tensor k, Tensor v, float scale)
    {
        int group = q.Shape[2] / k.Shape[2];
        var qh = t.SwapAxes12(q);
        var kh = t.RepeatHeads(t.SwapAxes12(k), group);
        var vh = t.RepeatHeads(t.SwapAxes12(v), group);
        var probs = t.AttentionSoftmax(t.MatMul(qh, kh, transposeB: true), scale, causal: true);
        return t.SwapAxes12(t.MatMul(probs, vh));
    }

    [Theory]
    [InlineData(1, 5, 2, 2, 4)]
    [InlineData(2, 7, 4, 2, 8)]
    [InlineData(1, 40, 6, 2, 16)]
    public void Forward_matches_the_plain_loop_reference(int batch, int t, int heads, int kvHeads, int d)
    {
        var rng = new Rng(21);
        using var q = Tensor.RandomNormal(new Shape(batch, t, heads, d), rng);
        using var k = Tensor.RandomNormal(new Shape(batch, t, kvHeads, d), rng);
        using var v = Tensor.RandomNormal(new Shape(batch, t, kvHeads, d), rng);
        float scale = 1f / MathF.Sqrt(d);
        using var tape = new Tape();
        var got = tape.CausalAttention(q, k, v, scale).ToArray();
        int qn = t * heads * d, kn = t * kvHeads * d;
        var expected = new float[got.Length];
        for (int b = 0; b < batch; b++)
            CausalAttentionReference.Forward(q.AsSpan().Slice(b * qn, qn), k.AsSpan().Slice(b * kn, kn), v.AsSpan().Slice(b * kn, kn),
                expected.AsSpan(b * qn, qn), t, heads, kvHeads, d, scale);
        for (int i = 0; i < got.Length; i++) Assert.Equal(expected[i], got[i], 4);
    }

    [Theory]
    [InlineData(1, 6, 2, 1, 4)]
    [InlineData(2, 9, 4, 2, 8)]
    [InlineData(1, 33, 14, 2, 16)]
    public void Values_and_gradients_equal_the_unfused_chain(int batch, int t, int heads, int kvHeads, int d)
    {
        var rng = new Rng(22);
        var shapes = new[] { new Shape(batch, t, heads, d), new Shape(batch, t, kvHeads, d), new Shape(batch, t, kvHeads, d) };
        var inputs = shapes.Select(s => Tensor.RandomNormal(s, rng)).ToArray();
        var upstream = new float[shapes[0].Count];
        rng.FillNormal(upstream);
        float scale = 1f / MathF.Sqrt(d);

        (float[] Y, float[][] Grads) Run(bool fused)
        {
            foreach (var x in inputs)
            {
                x.RequiresGrad = true;
                x.ZeroGrad();
            }
            using var tape = new Tape();
            var y = fused ? tape.CausalAttention(inputs[0], inputs[1], inputs[2], scale) : Unfused(tape, inputs[0], inputs[1], inputs[2], scale);
            var values = y.ToArray();
            tape.Backward(y, upstream);
            return (values, inputs.Select(x => x.Grad!.ToArray()).ToArray());
        }

        var reference = Run(fused: false);
        var fusedRun = Run(fused: true);
        for (int i = 0; i < reference.Y.Length; i++) Assert.Equal(reference.Y[i], fusedRun.Y[i], 5);
        for (int n = 0; n < inputs.Length; n++)
            for (int i = 0; i < reference.Grads[n].Length; i++)
                Assert.True(Math.Abs(reference.Grads[n][i] - fusedRun.Grads[n][i]) <= 1e-5f + 1e-4f * Math.Abs(reference.Grads[n][i]),
                    $"input {n} element {i}: unfused {reference.Grads[n][i]}, fused {fusedRun.Grads[n][i]}");
        foreach (var x in inputs) x.Dispose();
    }

    [Fact]
    public void Gradients_match_finite_differences_with_grouped_heads()
    {
        GradCheck.Check((t, x) => t.CausalAttention(x[0], x[1], x[2], 0.5f),
            [new Shape(2, 4, 4, 3), new Shape(2, 4, 2, 3), new Shape(2, 4, 2, 3)]);
    }

    [Fact]
    public void Only_wanted_gradients_are_computed()
    {
        GradCheck.Check((t, x) => t.CausalAttention(x[0], x[1], x[2], 0.7f),
            [new Shape(1, 5, 2, 2), new Shape(1, 5, 1, 2), new Shape(1, 5, 1, 2)], differentiable: [false, true, false]);
        GradCheck.Check((t, x) => t.CausalAttention(x[0], x[1], x[2], 0.7f),
            [new Shape(1, 5, 2, 2), new Shape(1, 5, 1, 2), new Shape(1, 5, 1, 2)], differentiable: [false, false, true]);
    }

    [Fact]
    public void Keeps_no_quadratic_buffer_on_the_tape()
    {
        const int T = 64, H = 4, D = 8;
        var rng = new Rng(23);
        using var q = Tensor.RandomNormal(new Shape(1, T, H, D), rng);
        using var k = Tensor.RandomNormal(new Shape(1, T, 1, D), rng);
        using var v = Tensor.RandomNormal(new Shape(1, T, 1, D), rng);
        q.RequiresGrad = true;
        long HeldForBackward(bool fused)
        {
            using var tape = new Tape();
            var y = fused ? tape.CausalAttention(q, k, v, 0.3f) : Unfused(tape, q, k, v, 0.3f);
            tape.ResetPeakBytes();   // the peak window restarts at the bytes in use now: what backward will need
            long held = tape.PeakBytesInUse;
            tape.Backward(tape.Sum(y));
            return held;
        }
        // Unfused keeps H (T, T) scores and H (T, T) probabilities until backward; fused keeps only q, k, v and the output.
        long quadratic = 2L * H * T * T * sizeof(float);
        Assert.True(HeldForBackward(fused: true) + quadratic <= HeldForBackward(fused: false));
    }

    [Fact]
    public void Rejects_heads_that_do_not_group()
    {
        using var tape = new Tape();
        var e = Assert.Throws<ArgumentException>(() =>
            tape.CausalAttention(Tensor.Zeros(new Shape(1, 2, 3, 4)), Tensor.Zeros(new Shape(1, 2, 2, 4)), Tensor.Zeros(new Shape(1, 2, 2, 4)), 1f));
        Assert.Contains("H_kv dividing H", e.Message);
    }
}
