using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Training.Tests.Objectives;

/// <summary>Gradients of a scalar objective w.r.t. one input tensor: through the tape, and by central differences.</summary>
internal static class ObjectiveGradients
{
    /// <summary>d loss / d x through the tape; <paramref name="build"/> turns a leaf x into the (1,) loss.</summary>
    public static float[] Analytic(float[] x, Shape shape, Func<Tape, Tensor, Tensor> build)
    {
        using var tape = new Tape();
        using var leaf = Tensor.FromArray(x, shape);
        leaf.RequiresGrad = true;
        tape.Backward(build(tape, leaf));
        return leaf.Grad!.ToArray();
    }

    /// <summary>The loss value at x (no gradient).</summary>
    public static double Value(float[] x, Shape shape, Func<Tape, Tensor, Tensor> build)
    {
        using var tape = new Tape();
        using var leaf = Tensor.FromArray(x, shape);
        leaf.RequiresGrad = true;
        return build(tape, leaf).AsSpan()[0];
    }

    /// <summary>(f(x + h·e_i) − f(x − h·e_i)) / 2h for every i.</summary>
    public static double[] Numeric(float[] x, Shape shape, Func<Tape, Tensor, Tensor> build, float h = 2e-3f)
    {
        var g = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            var plus = (float[])x.Clone();
            var minus = (float[])x.Clone();
            plus[i] += h;
            minus[i] -= h;
            g[i] = (Value(plus, shape, build) - Value(minus, shape, build)) / (plus[i] - minus[i]);
        }
        return g;
    }
}
