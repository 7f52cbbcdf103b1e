namespace Whetstone.Training.Progress;

/// <summary>
/// Exponential moving average of step durations and tokens per step: recent steps dominate, so the ETA follows
/// a run that speeds up or slows down, while one slow step (a checkpoint, a GC) barely moves it.
/// </summary>
public sealed class StepTimeAverage
{
    /// <summary>Creates an average in which each new step has weight <paramref name="smoothing"/>.</summary>
    /// <param name="smoothing">Weight of the newest sample, in (0, 1]; 0.1 ≈ an average over the last ten steps.</param>
    public StepTimeAverage(double smoothing = 0.1)
    {
        if (!(smoothing > 0 && smoothing <= 1)) throw new ArgumentOutOfRangeException(nameof(smoothing), $"smoothing must be in (0, 1], got {smoothing}.");
        Smoothing = smoothing;
    }

    /// <summary>Weight of the newest sample.</summary>
    public double Smoothing { get; }

    /// <summary>Whether any step has been added.</summary>
    public bool HasValue { get; private set; }

    /// <summary>Average seconds per step.</summary>
    public double SecondsPerStep { get; private set; }

    /// <summary>Average tokens per step.</summary>
    public double TokensPerStep { get; private set; }

    /// <summary>Tokens per second implied by the averages (0 before any step).</summary>
    public double TokensPerSecond => SecondsPerStep > 0 ? TokensPerStep / SecondsPerStep : 0;

    /// <summary>Adds one step (the first sample initialises the averages).</summary>
    /// <param name="seconds">Its duration.</param>
    /// <param name="tokens">Tokens it processed.</param>
    public void Add(double seconds, long tokens)
    {
        if (!HasValue)
        {
            (SecondsPerStep, TokensPerStep, HasValue) = (seconds, tokens, true);
            return;
        }
        SecondsPerStep += Smoothing * (seconds - SecondsPerStep);
        TokensPerStep += Smoothing * (tokens - TokensPerStep);
    }

    /// <summary>Estimated time for <paramref name="remainingSteps"/> more steps.</summary>
    /// <param name="remainingSteps">Steps still to run.</param>
    public TimeSpan EstimateRemaining(long remainingSteps) =>
        TimeSpan.FromSeconds(Math.Max(0, remainingSteps) * SecondsPerStep);
}
