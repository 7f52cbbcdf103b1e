using System.Numerics.Tensors;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Tensors.Optim;

/// <summary>Gradient-norm measurement and clipping over a whole <see cref="ParameterSet"/>.</summary>
public static class GradientClipping
{
    /// <summary>
    /// The L2 norm of all gradients taken together, √(Σ g²). Sums are accumulated in float64 in a fixed
    /// order, so the result is deterministic. Parameters without a gradient contribute nothing.
    /// </summary>
    /// <param name="parameters">The parameters whose gradients are measured.</param>
    public static double GlobalNorm(ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        const int Chunk = 4096; // float partial sums stay accurate over a chunk; chunks add in double
        double total = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Grad is not { } g) continue;
            var s = g.AsSpan();
            for (int start = 0; start < s.Length; start += Chunk)
                total += TensorPrimitives.SumOfSquares(s.Slice(start, Math.Min(Chunk, s.Length - start)));
        }
        return Math.Sqrt(total);
    }

    /// <summary>
    /// Scales every gradient by maxNorm / norm when the global norm exceeds <paramref name="maxNorm"/>
    /// (PyTorch's <c>clip_grad_norm_</c>), and returns the norm measured before clipping.
    /// </summary>
    /// <param name="parameters">The parameters whose gradients are clipped in place.</param>
    /// <param name="maxNorm">Largest allowed global norm, &gt; 0.</param>
    public static double ClipByGlobalNorm(ParameterSet parameters, double maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), $"maxNorm must be > 0, got {maxNorm}.");
        double norm = GlobalNorm(parameters);
        if (norm > maxNorm)
        {
            float scale = (float)(maxNorm / (norm + 1e-6));
            for (int i = 0; i < parameters.Count; i++)
            {
                if (parameters[i].Grad is not { } g) continue;
                var s = g.AsSpan();
                TensorPrimitives.Multiply(s, scale, s);
            }
        }
        return norm;
    }
}
