using System.Diagnostics;
using System.Text.Json.Nodes;
using Whetstone.Agents.Formats;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Policies;

/// <summary>
/// Records every call of the inner policy (request, response or error, timing) for later inspection, and optionally
/// appends each one as a JSONL line the moment it finishes. Thread-safe.
/// </summary>
/// <remarks>
/// A JSONL line is <c>{"seq","started_at","duration_ms","messages":[OpenAI-shaped],"tools":[…],"sampling":{…},
/// "response":{"content","reasoning","tool_calls","malformed_tool_calls","finish_reason","prompt_tokens",
/// "completion_tokens","token_ids","logprobs"}}</c>, or <c>"error":"…"</c> instead of <c>response</c>.
/// </remarks>
public sealed class RecordingPolicy : IPolicy
{
    private readonly IPolicy _inner;
    private readonly List<PolicyExchange> _exchanges = [];
    private readonly TextWriter? _sink;
    private readonly bool _keepInMemory;
    private int _sequence;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The policy to call.</param>
    /// <param name="jsonl">If given, each exchange is appended to it as one line and flushed.</param>
    /// <param name="keepInMemory">False to only stream to <paramref name="jsonl"/> and keep nothing in <see cref="Exchanges"/>.</param>
    public RecordingPolicy(IPolicy inner, TextWriter? jsonl = null, bool keepInMemory = true)
    {
        _inner = inner;
        _sink = jsonl is null ? null : TextWriter.Synchronized(jsonl);
        _keepInMemory = keepInMemory;
    }

    /// <summary>The calls recorded so far, in the order they finished (a snapshot).</summary>
    public IReadOnlyList<PolicyExchange> Exchanges
    {
        get { lock (_exchanges) return _exchanges.ToArray(); }
    }

    /// <summary>Forgets the calls recorded so far.</summary>
    public void Clear()
    {
        lock (_exchanges) _exchanges.Clear();
    }

    /// <inheritdoc />
    public async Task<PolicyResponse> RespondAsync(
        IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null, CancellationToken cancellationToken = default)
    {
        var seq = Interlocked.Increment(ref _sequence);
        var snapshot = messages.ToArray();
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        PolicyResponse response;
        try
        {
            response = await _inner.RespondAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Record(new PolicyExchange(seq, started, clock.Elapsed, snapshot, options, null, e));
            throw;
        }
        Record(new PolicyExchange(seq, started, clock.Elapsed, snapshot, options, response, null));
        return response;
    }

    /// <summary>Writes all recorded exchanges to <paramref name="path"/> as JSONL, atomically.</summary>
    public void WriteJsonl(string path)
    {
        using var file = AtomicFile.Create(path);
        foreach (var e in Exchanges)
        {
            file.Writer.Write(ToLine(e));
            file.Writer.Write('\n');
        }
        file.Commit();
    }

    /// <summary>One exchange as a single JSON line (see the class remarks for the shape).</summary>
    public static string ToLine(PolicyExchange e)
    {
        var o = new JsonObject
        {
            ["seq"] = e.Sequence,
            ["started_at"] = e.StartedAt.ToString("O"),
            ["duration_ms"] = Math.Round(e.Duration.TotalMilliseconds, 3),
            ["messages"] = new JsonArray(e.Messages.Select(m => (JsonNode)MessageJson(m)).ToArray()),
        };
        if (e.Options is { } opt)
        {
            if (opt.Tools.Count > 0) o["tools"] = ToolsJson(opt.Tools);
            var s = opt.Sampling;
            o["sampling"] = new JsonObject
            {
                ["temperature"] = s.Temperature, ["top_p"] = s.TopP, ["top_k"] = s.TopK, ["min_p"] = s.MinP,
                ["max_tokens"] = s.MaxTokens, ["seed"] = s.Seed, ["stop"] = new JsonArray(s.Stop.Select(x => (JsonNode)x).ToArray()),
            };
        }
        if (e.Response is { } r)
        {
            var step = new ActionStep(r.Action) { TokenIds = r.TokenIds, LogProbs = r.LogProbs, Weight = r.Weight };
            var native = WhetTrajectoryFormat.Instance.Write(new Trajectory { Id = "x", Steps = [step] })["steps"]![0]!.DeepClone().AsObject();
            native.Remove("kind");
            if (r.FinishReason is not null) native["finish_reason"] = r.FinishReason;
            if (r.PromptTokens is { } p) native["prompt_tokens"] = p;
            if (r.CompletionTokens is { } c) native["completion_tokens"] = c;
            o["response"] = native;
        }
        if (e.Error is { } err) o["error"] = $"{err.GetType().Name}: {err.Message}";
        return JsonlRecords.ToLine(o);
    }

    private void Record(PolicyExchange exchange)
    {
        if (_keepInMemory)
            lock (_exchanges) _exchanges.Add(exchange);
        if (_sink is not null)
        {
            _sink.WriteLine(ToLine(exchange));
            _sink.Flush();
        }
    }

    private static JsonObject MessageJson(ChatMessage m)
    {
        var o = new JsonObject { ["role"] = m.Role.ToString().ToLowerInvariant(), ["content"] = m.Content };
        if (m.Reasoning is not null) o["reasoning_content"] = m.Reasoning;
        if (m.ToolCalls.Count > 0)
            o["tool_calls"] = new JsonArray(m.ToolCalls.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id, ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.ArgumentsJson },
            }).ToArray());
        if (m.ToolCallId is not null) o["tool_call_id"] = m.ToolCallId;
        if (m.Name is not null) o["name"] = m.Name;
        return o;
    }

    private static JsonArray ToolsJson(IReadOnlyList<ToolDefinition> tools) => OpenAiChatFormat.WriteTools(tools);
}
