using System.Text.Json.Nodes;
using Whetstone.Agents.Formats;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Tests.Formats;
using Whetstone.Agents.Trajectories;
using static Whetstone.Agents.Tests.Policies.ScriptedPolicy;

namespace Whetstone.Agents.Tests.Policies;

public class LoggingAndRecordingPolicyTests
{
    private static PolicyResponse CallsCalculator(IReadOnlyList<ChatMessage> _) => new()
    {
        Action = new AgentAction
        {
            Reasoning = "think",
            ToolCalls = [new ToolCall("c1", "calculator", """{"expression":"1+1"}""")],
            MalformedToolCalls = [new MalformedToolCall("{oops", "bad JSON")],
        },
        TokenIds = [5, 6, 7],
        LogProbs = [-0.25f, -0.5f, -1f],
        FinishReason = "tool_calls",
    };

    [Fact]
    public async Task Logging_writes_one_line_per_call_including_failures()
    {
        var lines = new List<string>();
        var policy = new LoggingPolicy(new ScriptedPolicy(Says("hello"), CallsCalculator, Fails(new PolicyException("HTTP 400: nope", false, 400))), lines.Add, "remote");
        var options = new PolicyOptions { Tools = [SampleTrajectories.Calculator] };
        await policy.RespondAsync([ChatMessage.User("a")], options);
        await policy.RespondAsync([ChatMessage.User("a"), ChatMessage.Assistant("b")], options);
        await Assert.ThrowsAsync<PolicyException>(() => policy.RespondAsync([ChatMessage.User("a")]));

        Assert.Equal(3, lines.Count);
        Assert.Matches(@"^remote #1: 1 msgs, 1 tools -> stop 5 chars, 10\+2 tok, \d+\.\d\d s$", lines[0]);
        Assert.Matches(@"^remote #2: 2 msgs, 1 tools -> tool_calls \[calculator\] 1 malformed 0 chars 5 reasoning chars, 3 tok, ", lines[1]);
        Assert.Matches(@"^remote #3: 1 msgs, 0 tools -> FAILED after \d+\.\d\d s: PolicyException: HTTP 400: nope$", lines[2]);
    }

    [Fact]
    public async Task Logging_to_a_text_writer()
    {
        var writer = new StringWriter();
        await new LoggingPolicy(new ScriptedPolicy(Says("hi")), writer).RespondAsync([ChatMessage.User("a")]);
        Assert.StartsWith("policy #1: 1 msgs, 0 tools -> stop 2 chars", writer.ToString());
    }

    [Fact]
    public async Task Recording_keeps_requests_responses_and_errors_in_order()
    {
        var inner = new ScriptedPolicy(Says("hello"), Fails(new TimeoutException("slow")));
        var recorder = new RecordingPolicy(inner);
        var conversation = new List<ChatMessage> { ChatMessage.User("a") };
        await recorder.RespondAsync(conversation, new PolicyOptions { Sampling = new SamplingOptions { Temperature = 0 } });
        conversation.Add(ChatMessage.Assistant("hello")); // the recording holds a snapshot, not the live list
        await Assert.ThrowsAsync<TimeoutException>(() => recorder.RespondAsync(conversation));

        var x = recorder.Exchanges;
        Assert.Equal(2, x.Count);
        Assert.Equal((1, 1, "hello"), (x[0].Sequence, x[0].Messages.Count, x[0].Response!.Action.Content));
        Assert.Equal(0f, x[0].Options!.Sampling.Temperature);
        Assert.Null(x[0].Error);
        Assert.Equal((2, 2), (x[1].Sequence, x[1].Messages.Count));
        Assert.Null(x[1].Response);
        Assert.IsType<TimeoutException>(x[1].Error);
        recorder.Clear();
        Assert.Empty(recorder.Exchanges);
    }

    [Fact]
    public async Task Recording_streams_jsonl_lines_and_writes_files()
    {
        var sink = new StringWriter();
        var recorder = new RecordingPolicy(new ScriptedPolicy(CallsCalculator, Fails(new PolicyException("down", true, 503))), sink);
        var history = new[] { ChatMessage.System("s"), ChatMessage.User("1+1?") };
        await recorder.RespondAsync(history, new PolicyOptions { Tools = [SampleTrajectories.Calculator] });
        await Assert.ThrowsAsync<PolicyException>(() => recorder.RespondAsync(history));

        var lines = sink.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var first = JsonNode.Parse(lines[0])!;
        Assert.Equal("user", (string?)first["messages"]![1]!["role"]);
        Assert.Equal("calculator", (string?)first["tools"]![0]!["function"]!["name"]);
        Assert.Equal("tool_calls", (string?)first["response"]!["finish_reason"]);
        Assert.Equal("""{"expression":"1+1"}""", (string?)first["response"]!["tool_calls"]![0]!["arguments"]);
        Assert.Equal("[5,6,7]", first["response"]!["token_ids"]!.ToJsonString());
        Assert.Equal("[-0.25,-0.5,-1]", first["response"]!["logprobs"]!.ToJsonString());
        Assert.Equal("PolicyException: down", (string?)JsonNode.Parse(lines[1])!["error"]);

        var dir = Directory.CreateTempSubdirectory("whet-rec-").FullName;
        try
        {
            var path = Path.Combine(dir, "calls.jsonl");
            recorder.WriteJsonl(path);
            Assert.Equal(2, JsonlRecords.Read(path).Count());
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task Decorators_compose_around_a_flaky_policy()
    {
        var lines = new List<string>();
        var recorder = new RecordingPolicy(new ScriptedPolicy(Fails(new PolicyException("busy", true, 503)), Says("ok")));
        IPolicy policy = new LoggingPolicy(new RetryingPolicy(recorder, new RetryOptions { InitialDelay = TimeSpan.Zero }), lines.Add);
        Assert.Equal("ok", (await policy.RespondAsync([ChatMessage.User("x")])).Action.Content);
        Assert.Single(lines);                      // one logical call
        Assert.Equal(2, recorder.Exchanges.Count); // two attempts on the wire
    }
}
