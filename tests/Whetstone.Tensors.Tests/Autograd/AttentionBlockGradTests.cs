using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Kernels;

namespace Whetstone.Tensors.Tests.Autograd;

/// <summary>The ops composed the way a transformer's attention sub-block uses them (pre-norm, GQA, RoPE, causal).</summary>
public class AttentionBlockGradTests
{
    [Fact]
    public void RepeatHeads() => GradCheck.Check((t, x) => t.RepeatHeads(x[0], 3), [new Shape(2, 2, 3, 2)]);

    [Fact]
    public void RepeatHeads_FollowsHuggingFaceOrder()
    {
        using var x = Tensor.FromArray([1, 2], new Shape(1, 2, 1, 1));
        using var tape = new Tape();
        Assert.Equal(new float[] { 1, 1, 2, 2 }, tape.RepeatHeads(x, 2).ToArray());
    }

    [Fact]
    public void GroupedQueryAttentionBlock()
    {
        const int B = 1, T = 3, C = 8, H = 2, Hkv = 1, D = 4;
        var invFreq = new float[D / 2];
        RopeTables.InverseFrequencies(invFreq, D, 10000f);
        using var cos = Tensor.Zeros(new Shape(T, D / 2));
        using var sin = Tensor.Zeros(new Shape(T, D / 2));
        RopeTables.Build(invFreq, T, cos.AsSpan(), sin.AsSpan());
        int[] positions = [0, 1, 2];

        GradCheck.Check((t, p) =>
        {
            Tensor x = p[0], norm = p[1], wq = p[2], wk = p[3], wv = p[4], wo = p[5];
            var h = t.RmsNorm(x, norm);
            var q = t.SwapAxes12(t.Rope(t.Reshape(t.MatMul(h, wq, transposeB: true), new Shape(B, T, H, D)), positions, cos, sin));
            var k = t.SwapAxes12(t.Rope(t.Reshape(t.MatMul(h, wk, transposeB: true), new Shape(B, T, Hkv, D)), positions, cos, sin));
            var v = t.SplitHeads(t.MatMul(h, wv, transposeB: true), Hkv);
            k = t.RepeatHeads(k, H / Hkv);
            v = t.RepeatHeads(v, H / Hkv);
            var probs = t.AttentionSoftmax(t.MatMul(q, k, transposeB: true), 1f / MathF.Sqrt(D), causal: true); // (B, H, T, T)
            var o = t.MergeHeads(t.MatMul(probs, v));                                                          // (B, T, H·D)
            return t.Add(x, t.MatMul(o, wo, transposeB: true));
        },
        [new Shape(B, T, C), new Shape(C), new Shape(H * D, C), new Shape(Hkv * D, C), new Shape(Hkv * D, C), new Shape(C, H * D)],
        // Weights ~ N(0, 0.35²) keep scores O(1), as a trained model's are; curvature then stays small for h = 5e-3.
        init: p => { for (int i = 2; i < p.Length; i++) System.Numerics.Tensors.TensorPrimitives.Multiply(p[i].AsSpan(), 0.35f, p[i].AsSpan()); },
        maxElementsPerInput: 12, h: 5e-3, atol: 3e-3);
    }
}
