namespace Whetstone.Agents.Policies;

/// <summary>How <see cref="RetryingPolicy"/> retries transient failures: exponential backoff with jitter.</summary>
public sealed record RetryOptions
{
    /// <summary>Retries after the first attempt; 0 disables retrying.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>Backoff before the first retry; each further retry doubles it.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of one backoff (before jitter).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The delay before retry number <paramref name="retry"/> (0-based): <c>min(MaxDelay, InitialDelay·2^retry)</c>
    /// scaled by a uniform factor in [0.5, 1) so that many workers hitting the same server spread out.
    /// </summary>
    public TimeSpan DelayFor(int retry, Random random)
    {
        var baseMs = Math.Min(MaxDelay.TotalMilliseconds, InitialDelay.TotalMilliseconds * Math.Pow(2, retry));
        return TimeSpan.FromMilliseconds(baseMs * (0.5 + 0.5 * random.NextDouble()));
    }
}
