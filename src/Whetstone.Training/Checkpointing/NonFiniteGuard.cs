using Whetstone.Tensors.Autograd;

namespace Whetstone.Training.Checkpointing;

/// <summary>
/// Stops a run the moment its loss, gradient norm or weights stop being finite numbers. Call it after the
/// backward pass and before the optimizer step or any checkpoint, so a NaN never reaches the saved state.
/// </summary>
public static class NonFiniteGuard
{
    /// <summary>Throws <see cref="TrainingDivergedException"/> if <paramref name="loss"/> is NaN or infinite.</summary>
    /// <param name="step">The current step (reported in the message).</param>
    /// <param name="loss">The step's loss.</param>
    public static void CheckLoss(long step, double loss) => Check(step, "loss", loss);

    /// <summary>Throws <see cref="TrainingDivergedException"/> if the (pre-clip) gradient norm is NaN or infinite.</summary>
    /// <param name="step">The current step.</param>
    /// <param name="gradientNorm">The global gradient norm, e.g. from <c>GradientClipping.ClipByGlobalNorm</c>.</param>
    public static void CheckGradientNorm(long step, double gradientNorm) => Check(step, "gradient norm", gradientNorm);

    /// <summary>Throws <see cref="TrainingDivergedException"/> if <paramref name="value"/> is NaN or infinite.</summary>
    /// <param name="step">The current step.</param>
    /// <param name="quantity">Name of the value for the message.</param>
    /// <param name="value">The value.</param>
    public static void Check(long step, string quantity, double value)
    {
        if (!double.IsFinite(value)) throw new TrainingDivergedException(step, quantity, value);
    }

    /// <summary>Throws if any weight of any parameter is NaN or infinite, naming the first such parameter and element.</summary>
    /// <param name="step">The current step.</param>
    /// <param name="parameters">The parameters to scan.</param>
    public static void CheckParameters(long step, ParameterSet parameters)
    {
        foreach (var p in parameters)
        {
            int at = FirstNonFinite(p.Value.AsSpan());
            if (at >= 0) throw new TrainingDivergedException(step, $"parameter '{p.Name}' element {at}", p.Value.AsSpan()[at]);
        }
    }

    /// <summary>Index of the first NaN or infinity in <paramref name="values"/>, or −1.</summary>
    internal static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }
}
