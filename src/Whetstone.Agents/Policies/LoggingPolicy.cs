using System.Diagnostics;
using System.Globalization;
using Whetstone.Agents.Messages;

namespace Whetstone.Agents.Policies;

/// <summary>
/// Writes one concise line per call of the inner policy: what went in, what came out, tokens and time, or the error.
/// For example: <c>policy #3: 5 msgs, 2 tools -> tool_calls [calculator] 0 chars, 812+31 tok, 0.42 s</c>.
/// </summary>
public sealed class LoggingPolicy : IPolicy
{
    private readonly IPolicy _inner;
    private readonly Action<string> _log;
    private readonly string _name;
    private int _calls;

    /// <summary>Wraps <paramref name="inner"/>, sending each line to <paramref name="log"/>.</summary>
    /// <param name="inner">The policy to call.</param>
    /// <param name="log">Receives one line per call (must be thread-safe if calls run concurrently).</param>
    /// <param name="name">Prefix of each line.</param>
    public LoggingPolicy(IPolicy inner, Action<string> log, string name = "policy")
    {
        _inner = inner;
        _log = log;
        _name = name;
    }

    /// <summary>Wraps <paramref name="inner"/>, writing each line to <paramref name="writer"/> (synchronized).</summary>
    public LoggingPolicy(IPolicy inner, TextWriter writer, string name = "policy")
        : this(inner, TextWriter.Synchronized(writer).WriteLine, name)
    {
    }

    /// <inheritdoc />
    public async Task<PolicyResponse> RespondAsync(
        IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null, CancellationToken cancellationToken = default)
    {
        var n = Interlocked.Increment(ref _calls);
        var input = $"{messages.Count} msgs, {options?.Tools.Count ?? 0} tools";
        var clock = Stopwatch.StartNew();
        try
        {
            var response = await _inner.RespondAsync(messages, options, cancellationToken).ConfigureAwait(false);
            _log($"{_name} #{n}: {input} -> {Describe(response)}, {Seconds(clock)}");
            return response;
        }
        catch (Exception e)
        {
            _log($"{_name} #{n}: {input} -> FAILED after {Seconds(clock)}: {e.GetType().Name}: {e.Message}");
            throw;
        }
    }

    private static string Describe(PolicyResponse r)
    {
        var a = r.Action;
        var parts = new List<string> { r.FinishReason ?? "done" };
        if (a.ToolCalls.Count > 0) parts.Add($"[{string.Join(", ", a.ToolCalls.Select(c => c.Name))}]");
        if (a.MalformedToolCalls.Count > 0) parts.Add($"{a.MalformedToolCalls.Count} malformed");
        parts.Add($"{a.Content?.Length ?? 0} chars");
        if (a.Reasoning is { } reasoning) parts.Add($"{reasoning.Length} reasoning chars");
        var text = string.Join(" ", parts);
        if (r.PromptTokens is { } p && r.CompletionTokens is { } c) text += $", {p}+{c} tok";
        else if (r.TokenIds is { } ids) text += $", {ids.Count} tok";
        return text;
    }

    private static string Seconds(Stopwatch clock) =>
        clock.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";
}
