using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using static Whetstone.Agents.Tests.Policies.ScriptedPolicy;

namespace Whetstone.Agents.Tests.Policies;

public class RetryingPolicyTests
{
    private static readonly RetryOptions Options = new()
    {
        MaxRetries = 3, InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(3),
    };

    private static (RetryingPolicy Policy, List<TimeSpan> Waits) Wrap(IPolicy inner, RetryOptions? options = null)
    {
        var waits = new List<TimeSpan>();
        var policy = new RetryingPolicy(inner, options ?? Options, delay: (d, _) => { waits.Add(d); return Task.CompletedTask; }, random: new Random(1));
        return (policy, waits);
    }

    private static PolicyException Transient(int status = 503) => new("busy", isTransient: true, statusCode: status);

    [Fact]
    public async Task Retries_transient_failures_until_one_succeeds()
    {
        var inner = new ScriptedPolicy(Fails(Transient()), Fails(new TimeoutException()), Fails(new HttpRequestException("refused")), Says("ok"));
        var (policy, waits) = Wrap(inner);
        Assert.Equal("ok", (await policy.RespondAsync([ChatMessage.User("x")])).Action.Content);
        Assert.Equal(4, inner.Calls);
        Assert.Equal(3, waits.Count);
    }

    [Fact]
    public async Task Backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half()
    {
        var inner = new ScriptedPolicy(Fails(Transient()), Fails(Transient()), Fails(Transient()), Says("ok"));
        var (policy, waits) = Wrap(inner);
        await policy.RespondAsync([ChatMessage.User("x")]);
        double[] nominal = [1, 2, 3]; // 1 s, 2 s, then 4 s capped at 3 s
        for (var i = 0; i < 3; i++)
            Assert.InRange(waits[i].TotalSeconds, nominal[i] * 0.5, nominal[i]);
    }

    [Fact]
    public async Task Gives_up_after_max_retries_with_the_last_error()
    {
        var last = Transient(502);
        var inner = new ScriptedPolicy(Fails(Transient()), Fails(Transient()), Fails(Transient()), Fails(last), Says("never"));
        var (policy, _) = Wrap(inner);
        var e = await Assert.ThrowsAsync<PolicyException>(() => policy.RespondAsync([ChatMessage.User("x")]));
        Assert.Same(last, e);
        Assert.Equal(4, inner.Calls);
    }

    [Fact]
    public async Task Non_transient_errors_are_not_retried()
    {
        var inner = new ScriptedPolicy(Fails(new PolicyException("bad request", isTransient: false, statusCode: 400)), Says("never"));
        var (policy, waits) = Wrap(inner);
        await Assert.ThrowsAsync<PolicyException>(() => policy.RespondAsync([ChatMessage.User("x")]));
        Assert.Equal(1, inner.Calls);
        Assert.Empty(waits);

        var bug = new ScriptedPolicy(Fails(new InvalidOperationException("bug")), Says("never"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Wrap(bug).Policy.RespondAsync([ChatMessage.User("x")]));
        Assert.Equal(1, bug.Calls);
    }

    [Fact]
    public async Task Waits_as_long_as_retry_after_asks_within_the_cap()
    {
        var inner = new ScriptedPolicy(
            Fails(new PolicyException("429", true, 429, retryAfter: TimeSpan.FromSeconds(2.5))),
            Fails(new PolicyException("429", true, 429, retryAfter: TimeSpan.FromSeconds(60))),
            Says("ok"));
        var (policy, waits) = Wrap(inner);
        await policy.RespondAsync([ChatMessage.User("x")]);
        Assert.Equal([TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(3)], waits);
    }

    [Fact]
    public async Task Cancellation_stops_retrying()
    {
        using var cts = new CancellationTokenSource();
        var inner = new ScriptedPolicy(_ => { cts.Cancel(); throw Transient(); }, Says("never"));
        var (policy, waits) = Wrap(inner);
        await Assert.ThrowsAsync<PolicyException>(() => policy.RespondAsync([ChatMessage.User("x")], cancellationToken: cts.Token));
        Assert.Empty(waits);
    }

    [Fact]
    public async Task Zero_retries_calls_once()
    {
        var inner = new ScriptedPolicy(Fails(Transient()), Says("never"));
        var (policy, _) = Wrap(inner, Options with { MaxRetries = 0 });
        await Assert.ThrowsAsync<PolicyException>(() => policy.RespondAsync([ChatMessage.User("x")]));
        Assert.Equal(1, inner.Calls);
    }
}
