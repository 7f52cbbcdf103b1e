using Whetstone.Tensors.Autograd;

namespace Whetstone.Tensors.Tests.Autograd;

public class ElementwiseGradTests
{
    private static readonly Shape S = new(3, 4);

    [Fact] public void Add() => GradCheck.Check((t, x) => t.Add(x[0], x[1]), [S, S]);

    [Fact] public void Sub() => GradCheck.Check((t, x) => t.Sub(x[0], x[1]), [S, S]);

    [Fact] public void Mul() => GradCheck.Check((t, x) => t.Mul(x[0], x[1]), [S, S]);

    [Fact] public void Scale() => GradCheck.Check((t, x) => t.Scale(x[0], -0.7f), [S]);

    [Fact] public void AddBias() => GradCheck.Check((t, x) => t.AddBias(x[0], x[1]), [new Shape(2, 3, 4), new Shape(4)]);

    [Fact] public void MulBroadcast() => GradCheck.Check((t, x) => t.MulBroadcast(x[0], x[1]), [new Shape(2, 3, 4), new Shape(4)]);

    [Fact]
    public void SameInputUsedTwice_GradientsAddUp()
    {
        // y = x ⊙ x → dy/dx = 2x; checks that two uses of one tensor accumulate.
        GradCheck.Check((t, x) => t.Mul(x[0], x[0]), [S]);
    }

    [Fact]
    public void ShapeMismatch_NamesBothShapes()
    {
        using var a = Tensor.Zeros(new Shape(2, 3));
        using var b = Tensor.Zeros(new Shape(3, 2));
        using var tape = new Tape();
        var ex = Assert.Throws<ArgumentException>(() => tape.Add(a, b));
        Assert.Contains("(2, 3)", ex.Message);
        Assert.Contains("(3, 2)", ex.Message);
    }
}
