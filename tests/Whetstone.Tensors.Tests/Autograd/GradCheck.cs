using Whetstone.Tensors.Autograd;

namespace Whetstone.Tensors.Tests.Autograd;

/// <summary>
/// Finite-difference check of the tape's gradients. The function under test maps inputs to an output y;
/// with a random upstream gradient R the scalar L = Σ y·R (accumulated in float64) is differentiated
/// numerically by central differences and compared with what <see cref="Tape.Backward(Tensor, ReadOnlySpan{float})"/> produced.
/// </summary>
internal static class GradCheck
{
    public delegate Tensor Function(Tape tape, Tensor[] inputs);

    /// <param name="f">Builds the output from the inputs on the given tape.</param>
    /// <param name="shapes">Input shapes; inputs are standard normal unless <paramref name="init"/> overwrites them.</param>
    /// <param name="seed">Seed for inputs, upstream gradient and element sampling.</param>
    /// <param name="init">Optional hook to set input values (e.g. keep them away from kinks).</param>
    /// <param name="maxElementsPerInput">How many elements of each input to perturb (sampled), to keep tests fast.</param>
    public static void Check(Function f, Shape[] shapes, ulong seed = 1, Action<Tensor[]>? init = null,
        int maxElementsPerInput = 24, double h = 1e-2, double atol = 2e-3, double rtol = 2e-2, bool[]? differentiable = null)
    {
        var rng = new Rng(seed);
        var inputs = new Tensor[shapes.Length];
        for (int i = 0; i < shapes.Length; i++)
        {
            inputs[i] = Tensor.RandomNormal(shapes[i], rng);
            inputs[i].RequiresGrad = differentiable?[i] ?? true;
        }
        init?.Invoke(inputs);

        float[] upstream;
        var analytic = new float[shapes.Length][];
        using (var tape = new Tape())
        {
            var y = f(tape, inputs);
            upstream = new float[y.Count];
            rng.FillNormal(upstream);
            tape.Backward(y, upstream);
            for (int i = 0; i < inputs.Length; i++)
                analytic[i] = inputs[i].RequiresGrad
                    ? inputs[i].Grad?.ToArray() ?? new float[inputs[i].Count]
                    : [];
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            if (!inputs[i].RequiresGrad) continue;
            var x = inputs[i].AsSpan();
            int n = x.Length;
            int samples = Math.Min(n, maxElementsPerInput);
            for (int s = 0; s < samples; s++)
            {
                int j = samples == n ? s : rng.NextInt(n);
                float orig = x[j];
                x[j] = (float)(orig + h);
                double plus = Objective(f, inputs, upstream);
                x = inputs[i].AsSpan();
                x[j] = (float)(orig - h);
                double minus = Objective(f, inputs, upstream);
                x = inputs[i].AsSpan();
                x[j] = orig;
                // The perturbation actually applied in float32 may differ slightly from 2h.
                double step = (double)(float)(orig + h) - (float)(orig - h);
                double numeric = (plus - minus) / step;
                double got = analytic[i][j];
                Assert.True(Math.Abs(numeric - got) <= atol + rtol * Math.Abs(numeric),
                    $"input {i} {shapes[i]} element {j}: backward {got:G6}, finite difference {numeric:G6}");
            }
        }
        foreach (var t in inputs) t.Dispose();
    }

    private static double Objective(Function f, Tensor[] inputs, float[] upstream)
    {
        using var tape = new Tape();
        using (tape.NoGrad())
        {
            var y = f(tape, inputs).AsSpan();
            double sum = 0;
            for (int k = 0; k < y.Length; k++) sum += (double)y[k] * upstream[k];
            return sum;
        }
    }
}
