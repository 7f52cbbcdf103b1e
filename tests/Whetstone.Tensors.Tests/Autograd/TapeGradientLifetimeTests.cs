using Whetstone.Tensors.Autograd;

namespace Whetstone.Tensors.Tests.Autograd;

/// <summary>
/// Gradients of results go back to the pool once consumed in backward: leaf gradients must not change by a bit,
/// while the pool's peak bytes in use drop.
/// </summary>
public class TapeGradientLifetimeTests
{
    private const int Layers = 6, Width = 32, Rows = 16;

    /// <summary>A residual MLP stack (rows, width) → scalar; returns the leaf gradients and the tape's peak bytes.</summary>
    private static (float[][] Grads, long Peak, Tensor?[] ResultGrads) Run(bool retain, int steps = 1)
    {
        var rng = new Rng(11);
        var weights = new Tensor[Layers];
        for (int i = 0; i < Layers; i++)
        {
            weights[i] = Tensor.RandomNormal(new Shape(Width, Width), rng, 0.3f);
            weights[i].RequiresGrad = true;
        }
        using var x = Tensor.RandomNormal(new Shape(Rows, Width), rng);
        using var tape = new Tape { RetainResultGradients = retain };
        var results = new List<Tensor>();
        for (int s = 0; s < steps; s++)
        {
            foreach (var w in weights) w.ZeroGrad();
            tape.Reset();
            results.Clear();
            var h = x;
            foreach (var w in weights)
            {
                var y = tape.Silu(tape.MatMul(h, w, transposeB: true));
                h = h == x ? y : tape.Add(h, y);
                results.Add(h);
            }
            tape.Backward(tape.Sum(tape.Mul(h, h)));
        }
        var grads = weights.Select(w => w.Grad!.ToArray()).ToArray();
        var resultGrads = results.Select(r => r.Grad).ToArray();
        long peak = tape.PeakBytesInUse;
        foreach (var w in weights) w.Dispose();
        return (grads, peak, resultGrads);
    }

    [Fact]
    public void Releasing_result_gradients_keeps_leaf_gradients_bit_identical_and_lowers_the_peak()
    {
        var kept = Run(retain: true);
        var released = Run(retain: false);
        for (int i = 0; i < Layers; i++) Assert.Equal(kept.Grads[i], released.Grads[i]);
        Assert.True(released.Peak < kept.Peak, $"peak with release {released.Peak} B, retained {kept.Peak} B");
        Assert.All(kept.ResultGrads, g => Assert.NotNull(g));
        Assert.All(released.ResultGrads, g => Assert.Null(g));
    }

    [Fact]
    public void Repeated_steps_reuse_released_buffers_and_give_the_same_gradients()
    {
        var once = Run(retain: false, steps: 1);
        var thrice = Run(retain: false, steps: 3);
        for (int i = 0; i < Layers; i++) Assert.Equal(once.Grads[i], thrice.Grads[i]);
        Assert.Equal(once.Peak, thrice.Peak);
    }

    [Fact]
    public void Pool_stops_growing_after_the_first_step_and_reset_returns_each_buffer_once()
    {
        var rng = new Rng(5);
        using var w = Tensor.RandomNormal(new Shape(8, 8), rng);
        w.RequiresGrad = true;
        using var x = Tensor.RandomNormal(new Shape(4, 8), rng);
        using var tape = new Tape();
        int created = 0;
        for (int s = 0; s < 4; s++)
        {
            tape.Backward(tape.Sum(tape.Silu(tape.MatMul(tape.Silu(tape.MatMul(x, w)), w))));
            tape.Reset();
            if (s == 0) created = tape.PooledBufferCount;
        }
        Assert.Equal(created, tape.PooledBufferCount);
        // After Reset every buffer is free again: a fresh window's peak starts at zero bytes in use.
        tape.ResetPeakBytes();
        Assert.Equal(0, tape.PeakBytesInUse);
    }
}
