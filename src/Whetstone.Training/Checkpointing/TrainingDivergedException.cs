namespace Whetstone.Training.Checkpointing;

/// <summary>
/// Thrown by <see cref="NonFiniteGuard"/> (and by a checkpoint save) when a loss, gradient norm or weight is NaN
/// or infinite. Training must stop: nothing from this step is saved, so the last checkpoint stays the last good one.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for <paramref name="quantity"/> = <paramref name="value"/> at <paramref name="step"/>.</summary>
    /// <param name="step">The optimizer step at which the value appeared.</param>
    /// <param name="quantity">What was checked, e.g. <c>loss</c> or <c>parameter 'w1'</c>.</param>
    /// <param name="value">The non-finite value.</param>
    /// <param name="advice">Extra text appended to the message.</param>
    public TrainingDivergedException(long step, string quantity, double value, string? advice = null)
        : base($"Training diverged at step {step}: {quantity} is {Describe(value)}. The run was stopped and no checkpoint was written for this step; " +
               "the last complete checkpoint is untouched. " + (advice ?? "Lower the learning rate, tighten gradient clipping or inspect the batch, then resume."))
    {
        Step = step;
        Quantity = quantity;
        Value = value;
    }

    /// <summary>The step at which training diverged.</summary>
    public long Step { get; }

    /// <summary>What became non-finite.</summary>
    public string Quantity { get; }

    /// <summary>The offending value (NaN, +∞ or −∞).</summary>
    public double Value { get; }

    private static string Describe(double v) => double.IsNaN(v) ? "NaN" : v > 0 ? "+Infinity" : "-Infinity";
}
