using Whetstone.Tensors.Autograd;

namespace Whetstone.Tensors.Tests.Autograd;

public class PointwiseGradTests
{
    private static readonly Shape S = new(3, 5);

    [Fact] public void Exp() => GradCheck.Check((t, x) => t.Exp(x[0]), [S]);

    [Fact] public void LogSigmoid() => GradCheck.Check((t, x) => t.LogSigmoid(x[0]), [S]);

    [Fact] public void AddScalar() => GradCheck.Check((t, x) => t.AddScalar(x[0], 2.5f), [S]);

    [Fact]
    public void Clamp() => GradCheck.Check((t, x) => t.Clamp(x[0], -0.5f, 0.5f), [S],
        init: x => KeepAwayFrom(x[0].AsSpan(), -0.5f, 0.5f));

    [Fact]
    public void Minimum() => GradCheck.Check((t, x) => t.Minimum(x[0], x[1]), [S, S],
        init: x => { var a = x[0].AsSpan(); var b = x[1].AsSpan(); for (int i = 0; i < a.Length; i++) if (MathF.Abs(a[i] - b[i]) < 0.1f) b[i] = a[i] + 0.2f; });

    [Fact]
    public void LogSigmoid_StableAtExtremes()
    {
        using var x = Tensor.FromArray([-200f, 0f, 200f]);
        using var tape = new Tape();
        var y = tape.LogSigmoid(x);
        Assert.Equal(-200f, y[0], 3);
        Assert.Equal(MathF.Log(0.5f), y[1], 6);
        Assert.Equal(0f, y[2], 6);
    }

    [Fact]
    public void GrpoStyleClippedObjective()
    {
        // −min(r·A, clip(r, 0.8, 1.2)·A) with r = exp(logp − old): the ops compose through the tape.
        float[] advantages = [1f, -1f, 0.5f, 2f];
        GradCheck.Check((t, x) =>
        {
            var ratio = t.Exp(t.Sub(x[0], x[1]));
            var adv = t.NewTensor(new Shape(4), advantages);
            return t.Scale(t.Minimum(t.Mul(ratio, adv), t.Mul(t.Clamp(ratio, 0.8f, 1.2f), adv)), -1f);
        }, [new Shape(4), new Shape(4)],
        init: x => { float[] d = [0.05f, 0.5f, -0.5f, 0.1f]; for (int i = 0; i < 4; i++) x[0][i] = x[1][i] + d[i]; },
        differentiable: [true, false]);
    }

    private static void KeepAwayFrom(Span<float> x, float lo, float hi)
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (MathF.Abs(x[i] - lo) < 0.05f) x[i] = lo - 0.1f;
            if (MathF.Abs(x[i] - hi) < 0.05f) x[i] = hi + 0.1f;
        }
    }
}
