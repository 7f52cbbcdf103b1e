namespace Whetstone.Agents.Policies;

/// <summary>
/// A policy call failed. <see cref="IsTransient"/> says whether trying again may succeed (rate limit, server error,
/// time-out, connection refused); <see cref="RetryingPolicy"/> retries exactly those.
/// </summary>
public sealed class PolicyException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">What failed, for a person to read (endpoint, status, server's message, hint).</param>
    /// <param name="isTransient">Whether trying again may succeed.</param>
    /// <param name="statusCode">HTTP status, when the server answered.</param>
    /// <param name="retryAfter">How long the server asked to wait (HTTP <c>Retry-After</c>), if it did.</param>
    /// <param name="inner">The underlying error.</param>
    public PolicyException(string message, bool isTransient, int? statusCode = null, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        IsTransient = isTransient;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>Whether trying again may succeed.</summary>
    public bool IsTransient { get; }

    /// <summary>HTTP status, when the server answered.</summary>
    public int? StatusCode { get; }

    /// <summary>How long the server asked to wait before retrying, if it said.</summary>
    public TimeSpan? RetryAfter { get; }
}
