namespace Whetstone.Training.Reporting;

/// <summary>Settings of <see cref="RunReport"/>.</summary>
public sealed record ReportOptions
{
    /// <summary>Page heading; defaults to <c>summary.json</c>'s <c>title</c>, else the run directory's name.</summary>
    public string? Title { get; init; }

    /// <summary>How many solved and how many unsolved sample trajectories to show (each).</summary>
    public int SamplesPerOutcome { get; init; } = 3;

    /// <summary>
    /// EMA weight of the smoothed line drawn over raw training curves, in [0, 1) (TensorBoard's slider); 0 draws raw
    /// lines only.
    /// </summary>
    public double Smoothing { get; init; } = 0.9;

    /// <summary>
    /// Most points drawn per series; longer series are down-sampled with Largest-Triangle-Three-Buckets, which keeps
    /// spikes. At 800 px a thousand points is already more than one per pixel.
    /// </summary>
    public int MaxPointsPerSeries { get; init; } = 1000;

    /// <summary>Time printed in the header; null for now. Set it to make the output byte-for-byte reproducible.</summary>
    public DateTimeOffset? GeneratedAt { get; init; }

    /// <summary>Checks the ranges, naming the bad setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (SamplesPerOutcome < 0) throw new ArgumentOutOfRangeException(nameof(SamplesPerOutcome), SamplesPerOutcome, "must be ≥ 0");
        if (Smoothing is < 0 or >= 1 || double.IsNaN(Smoothing)) throw new ArgumentOutOfRangeException(nameof(Smoothing), Smoothing, "must be in [0, 1)");
        if (MaxPointsPerSeries < 3) throw new ArgumentOutOfRangeException(nameof(MaxPointsPerSeries), MaxPointsPerSeries, "must be ≥ 3");
    }
}
