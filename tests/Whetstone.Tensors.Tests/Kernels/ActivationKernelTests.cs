using Whetstone.Tensors.Kernels;
using static Whetstone.Tensors.Tests.Kernels.KernelTestData;

namespace Whetstone.Tensors.Tests.Kernels;

public class ActivationKernelTests
{
    private delegate void Fwd(ReadOnlySpan<float> x, Span<float> y);
    private delegate void Bwd(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx);

    private static readonly (string Name, Fwd Fast, Fwd Ref, Bwd FastB, Bwd RefB)[] Unary =
    [
        ("silu", SiluKernel.Forward, SiluReference.Forward, SiluKernel.Backward, SiluReference.Backward),
        ("gelu_tanh", GeluTanhKernel.Forward, GeluTanhReference.Forward, GeluTanhKernel.Backward, GeluTanhReference.Backward),
        ("gelu_erf", GeluErfKernel.Forward, GeluErfReference.Forward, GeluErfKernel.Backward, GeluErfReference.Backward),
    ];

    [Theory]
    [MemberData(nameof(Sizes), MemberType = typeof(KernelTestData))]
    public void Unary_activations_match_reference(int n)
    {
        var x = Uniform(1, n, -6, 6); var dy = Uniform(2, n);
        foreach (var (name, fast, reference, fastB, refB) in Unary)
        {
            var y = new float[n]; var yr = new float[n];
            fast(x, y); reference(x, yr);
            Close(yr, y, 2e-6, 2e-5, name);
            var dx = Uniform(3, n); var dxr = (float[])dx.Clone();
            fastB(x, dy, dx); refB(x, dy, dxr);
            Close(dxr, dx, 2e-6, 2e-5, name + " backward");
        }
    }

    [Fact]
    public void Unary_gradients_match_finite_differences()
    {
        var x = Uniform(1, 40, -4, 4); var dy = Uniform(2, 40);
        foreach (var (name, _, reference, fastB, _) in Unary)
        {
            var y = new float[40]; var dx = new float[40];
            fastB(x, dy, dx);
            Close(NumericGradient(x, () => { reference(x, y); return Dot(dy, y); }, 1e-3f), dx, 1e-3, 1e-2, name);
        }
    }

    [Fact]
    public void Extreme_inputs_saturate_without_nan()
    {
        float[] x = [-1000f, -100f, -20f, 0f, 20f, 100f, 1000f, 1e30f, -1e30f, 0.5f, -0.5f, 3f, -3f, 7f, -7f, 9f, 11f];
        foreach (var (name, fast, reference, fastB, _) in Unary)
        {
            var y = new float[x.Length]; var yr = new float[x.Length]; var dx = new float[x.Length];
            fast(x, y); reference(x, yr);
            fastB(x, Enumerable.Repeat(1f, x.Length).ToArray(), dx);
            Assert.All(y, v => Assert.False(float.IsNaN(v), name));
            Assert.All(dx, v => Assert.False(float.IsNaN(v), name + " backward"));
            Close(yr, y, 1e-6, 1e-5, name);
        }
    }

    [Fact]
    public void Known_values()
    {
        var y = new float[3];
        GeluErfKernel.Forward([1f, -1f, 2f], y);
        Assert.Equal(0.8413447460685429, y[0], 6);   // 1·Φ(1)
        Assert.Equal(-0.15865525393145707, y[1], 6);
        Assert.Equal(1.9544997361036416, y[2], 6);
        GeluTanhKernel.Forward([1f, -1f, 2f], y);
        Assert.Equal(0.8411919906082768, y[0], 6);
        Assert.Equal(1.9545976940871754, y[2], 6);
        SiluKernel.Forward([1f, -1f, 2f], y);
        Assert.Equal(0.7310585786300049, y[0], 6);
    }

    [Theory]
    [MemberData(nameof(Sizes), MemberType = typeof(KernelTestData))]
    public void SwiGlu_matches_reference_in_every_gradient_combination(int n)
    {
        var g = Uniform(1, n, -6, 6); var u = Uniform(2, n, -2, 2); var dy = Uniform(3, n);
        var y = new float[n]; var yr = new float[n];
        SwiGluKernel.Forward(g, u, y); SwiGluReference.Forward(g, u, yr);
        Close(yr, y, 2e-6, 2e-5);

        var dg = Uniform(4, n); var du = Uniform(5, n);
        var dgr = (float[])dg.Clone(); var dur = (float[])du.Clone();
        SwiGluKernel.Backward(g, u, dy, dg, du); SwiGluReference.Backward(g, u, dy, dgr, dur);
        Close(dgr, dg, 2e-6, 2e-5, "dgate fused"); Close(dur, du, 2e-6, 2e-5, "dup fused");
        SwiGluKernel.Backward(g, u, dy, dg, []); SwiGluReference.Backward(g, u, dy, dgr, []);
        Close(dgr, dg, 4e-6, 2e-5, "dgate only");
        SwiGluKernel.Backward(g, u, dy, [], du); SwiGluReference.Backward(g, u, dy, [], dur);
        Close(dur, du, 4e-6, 2e-5, "dup only");
    }

    [Fact]
    public void SwiGlu_gradient_matches_finite_differences()
    {
        var g = Uniform(1, 23, -4, 4); var u = Uniform(2, 23); var dy = Uniform(3, 23);
        var y = new float[23]; var dg = new float[23]; var du = new float[23];
        SwiGluKernel.Backward(g, u, dy, dg, du);
        double Loss() { SwiGluReference.Forward(g, u, y); return Dot(dy, y); }
        Close(NumericGradient(g, Loss, 1e-3f), dg, 1e-3, 1e-2, "dgate");
        Close(NumericGradient(u, Loss, 1e-3f), du, 1e-3, 1e-2, "dup");
    }

    [Fact]
    public void Deterministic()
    {
        var x = Uniform(1, 999, -5, 5);
        var a = new float[999]; var b = new float[999];
        GeluErfKernel.Forward(x, a); GeluErfKernel.Forward(x, b);
        BitIdentical(a, b);
        SwiGluKernel.Forward(x, x, a); SwiGluKernel.Forward(x, x, b);
        BitIdentical(a, b);
    }
}
