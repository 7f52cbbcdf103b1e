namespace Whetstone.Training.Metrics;

/// <summary>
/// One line of the metrics log: the standard fields every trainer reports (unset ones are omitted) plus any
/// named extras — GRPO's reward mean/std, KL, clip fraction, entropy, response length, generation time.
/// </summary>
public sealed class StepMetrics
{
    internal static readonly string[] StandardKeys = ["step", "epoch", "loss", "lr", "grad_norm", "tokens", "tokens_per_s", "time_s"];

    private readonly List<KeyValuePair<string, double>> _extra = new();

    /// <summary>Creates the record of optimizer step <paramref name="step"/> (1-based: the count of completed steps).</summary>
    /// <param name="step">Completed optimizer steps.</param>
    public StepMetrics(long step) => Step = step;

    /// <summary>Completed optimizer steps (JSON key <c>step</c>).</summary>
    public long Step { get; }

    /// <summary>Fractional epoch (<c>epoch</c>).</summary>
    public double? Epoch { get; init; }

    /// <summary>Training loss of the step (<c>loss</c>).</summary>
    public double? Loss { get; init; }

    /// <summary>Learning rate used by the step (<c>lr</c>).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Global gradient norm before clipping (<c>grad_norm</c>).</summary>
    public double? GradNorm { get; init; }

    /// <summary>Tokens processed by the step (<c>tokens</c>).</summary>
    public long? Tokens { get; init; }

    /// <summary>Training throughput (<c>tokens_per_s</c>).</summary>
    public double? TokensPerSecond { get; init; }

    /// <summary>Seconds since the run started (<c>time_s</c>).</summary>
    public double? ElapsedSeconds { get; init; }

    /// <summary>The extra metrics, in the order they were set.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Extra => _extra;

    /// <summary>Adds (or replaces) a named metric and returns this record, for chaining.</summary>
    /// <param name="name">JSON key, e.g. <c>reward_mean</c>; must not be a standard key.</param>
    /// <param name="value">Its value (NaN and infinities are written as the strings "NaN", "Infinity", "-Infinity").</param>
    public StepMetrics Set(string name, double value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (StandardKeys.Contains(name))
            throw new ArgumentException($"Metric name '{name}' is a standard field; set the property instead.", nameof(name));
        int at = _extra.FindIndex(kv => kv.Key == name);
        if (at >= 0) _extra[at] = new(name, value);
        else _extra.Add(new(name, value));
        return this;
    }
}
