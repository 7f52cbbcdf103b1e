using Whetstone.Agents.Messages;

namespace Whetstone.Agents.Policies;

/// <summary>
/// Retries the calls of an inner policy that fail transiently (<see cref="PolicyException.IsTransient"/>,
/// <see cref="TimeoutException"/>, <see cref="HttpRequestException"/>), waiting with exponential backoff and jitter,
/// or as long as the server's <c>Retry-After</c> asked. Other errors, and the caller's cancellation, pass straight
/// through.
/// </summary>
public sealed class RetryingPolicy : IPolicy
{
    private readonly IPolicy _inner;
    private readonly RetryOptions _options;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly Random _random;
    private readonly Action<int, Exception, TimeSpan>? _onRetry;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The policy to call.</param>
    /// <param name="options">Retry count and backoff; defaults when null.</param>
    /// <param name="onRetry">Told (retry number from 1, the error, the wait) before each retry, e.g. to log it.</param>
    /// <param name="delay">How to wait; <see cref="Task.Delay(TimeSpan, CancellationToken)"/> by default (tests pass a recorder).</param>
    /// <param name="random">Source of jitter; a shared one by default.</param>
    public RetryingPolicy(
        IPolicy inner,
        RetryOptions? options = null,
        Action<int, Exception, TimeSpan>? onRetry = null,
        Func<TimeSpan, CancellationToken, Task>? delay = null,
        Random? random = null)
    {
        _inner = inner;
        _options = options ?? new RetryOptions();
        _onRetry = onRetry;
        _delay = delay ?? Task.Delay;
        _random = random ?? Random.Shared;
    }

    /// <summary>Whether <paramref name="error"/> is worth retrying.</summary>
    public static bool IsTransient(Exception error) => error switch
    {
        PolicyException p => p.IsTransient,
        TimeoutException or HttpRequestException => true,
        _ => false,
    };

    /// <inheritdoc />
    public async Task<PolicyResponse> RespondAsync(
        IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null, CancellationToken cancellationToken = default)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                return await _inner.RespondAsync(messages, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (retry < _options.MaxRetries && IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                TimeSpan wait;
                lock (_random) wait = _options.DelayFor(retry, _random);
                if (e is PolicyException { RetryAfter: { } asked } && asked > wait) wait = asked < _options.MaxDelay ? asked : _options.MaxDelay;
                _onRetry?.Invoke(retry + 1, e, wait);
                await _delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
