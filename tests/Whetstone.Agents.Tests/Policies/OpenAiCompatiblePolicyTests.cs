using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Tests.Formats;
using static Whetstone.Agents.Tests.Policies.FakeOpenAiServer;

namespace Whetstone.Agents.Tests.Policies;

public class OpenAiCompatiblePolicyTests
{
    private static OpenAiCompatiblePolicyOptions OptionsFor(FakeOpenAiServer server, double timeoutSeconds = 10) => new()
    {
        BaseUrl = server.BaseUrl,
        Model = "fake-model",
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        Retry = new RetryOptions { MaxRetries = 3, InitialDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20) },
    };

    [Fact]
    public async Task Plain_answer_maps_content_finish_reason_and_usage()
    {
        await using var server = await StartAsync(Completion("""{"role":"assistant","content":"Hello there."}""", promptTokens: 21, completionTokens: 3));
        var policy = new OpenAiCompatiblePolicy(OptionsFor(server));
        var response = await policy.RespondAsync(
            [ChatMessage.System("Be brief."), ChatMessage.User("Hi")],
            new PolicyOptions { Sampling = new SamplingOptions { Temperature = 0.5f, MaxTokens = 64, Seed = 3, TopK = 20, MinP = 0.05f, Stop = ["</s>"] } });

        Assert.Equal("Hello there.", response.Action.Content);
        Assert.Empty(response.Action.ToolCalls);
        Assert.Equal("stop", response.FinishReason);
        Assert.Equal((21, 3), (response.PromptTokens!.Value, response.CompletionTokens!.Value));

        var request = Assert.Single(server.Requests);
        Assert.Equal("fake-model", (string?)request["model"]);
        Assert.Equal(64, (int)request["max_tokens"]!);
        Assert.Null(request["max_completion_tokens"]);
        Assert.Equal(0.5, (double)request["temperature"]!, 5);
        Assert.Equal(3, (int)request["seed"]!);
        Assert.Equal(20, (int)request["top_k"]!);
        Assert.Equal(0.05, (double)request["min_p"]!, 5);
        Assert.Equal("</s>", (string?)request["stop"]![0]);
        Assert.Null(request["tools"]);
        SemanticJson.Equal(JsonNode.Parse("""[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]"""), request["messages"]);
    }

    [Fact]
    public async Task Tool_calls_history_and_tools_map_both_ways()
    {
        await using var server = await StartAsync(Completion("""
            {"role":"assistant","content":null,"reasoning_content":"Need both sums.","tool_calls":[
              {"id":"call_x","type":"function","function":{"name":"calculator","arguments":"{\"expression\":\"3+4\"}"}},
              {"id":"call_y","type":"function","function":{"name":"calculator","arguments":""}}]}
            """, finishReason: "tool_calls"));
        var policy = new OpenAiCompatiblePolicy(OptionsFor(server));
        var history = new[]
        {
            ChatMessage.User("12*7, then 3+4?"),
            ChatMessage.Assistant("Computing.", new ToolCall("call_a", "calculator", """{"expression":"12*7"}""")),
            ChatMessage.Tool("call_a", "calculator", "84"),
        };
        var response = await policy.RespondAsync(history, new PolicyOptions { Tools = [SampleTrajectories.Calculator] });

        Assert.Equal("tool_calls", response.FinishReason);
        Assert.Null(response.Action.Content);
        Assert.Equal("Need both sums.", response.Action.Reasoning);
        Assert.Equal(
            [new ToolCall("call_x", "calculator", """{"expression":"3+4"}"""), new ToolCall("call_y", "calculator", "{}")],
            response.Action.ToolCalls);
        Assert.Empty(response.Action.MalformedToolCalls);

        var request = Assert.Single(server.Requests);
        var messages = request["messages"]!.AsArray();
        Assert.Equal("assistant", (string?)messages[1]!["role"]);
        Assert.Equal("call_a", (string?)messages[1]!["tool_calls"]![0]!["id"]);
        Assert.Equal("""{"expression":"12*7"}""", (string?)messages[1]!["tool_calls"]![0]!["function"]!["arguments"]);
        Assert.Contains("Computing.", messages[1]!["content"]!.ToJsonString());
        Assert.Equal(("tool", "call_a", "84"), ((string?)messages[2]!["role"], (string?)messages[2]!["tool_call_id"], messages[2]!["content"] is JsonValue v ? v.GetValue<string>() : messages[2]!["content"]![0]!["text"]!.GetValue<string>()));
        var tool = request["tools"]![0]!;
        Assert.Equal("function", (string?)tool["type"]);
        Assert.Equal("calculator", (string?)tool["function"]!["name"]);
        Assert.True(JsonElement.DeepEquals(SampleTrajectories.Calculator.Parameters, JsonSerializer.SerializeToElement(tool["function"]!["parameters"])));
    }

    [Fact]
    public async Task Arguments_that_are_not_a_json_object_become_malformed_tool_calls()
    {
        await using var server = await StartAsync(Completion("""
            {"role":"assistant","content":"","tool_calls":[
              {"id":"ok","type":"function","function":{"name":"calculator","arguments":"{\"expression\":\"1\"}"}},
              {"id":"bad","type":"function","function":{"name":"calculator","arguments":"{\"expression\": 1+"}},
              {"id":"arr","type":"function","function":{"name":"calculator","arguments":"[1]"}}]}
            """, finishReason: "tool_calls"));
        var response = await new OpenAiCompatiblePolicy(OptionsFor(server)).RespondAsync([ChatMessage.User("x")]);

        Assert.Equal("ok", Assert.Single(response.Action.ToolCalls).Id);
        Assert.Equal(2, response.Action.MalformedToolCalls.Count);
        var bad = response.Action.MalformedToolCalls[0];
        Assert.Contains("calculator", bad.Error);
        Assert.Contains("not a JSON object", bad.Error);
        Assert.Equal("{\"expression\": 1+", (string?)JsonNode.Parse(bad.RawText)!["arguments"]);
        Assert.Contains("found a JSON array", response.Action.MalformedToolCalls[1].Error);
    }

    [Fact]
    public async Task Server_error_then_success_is_retried()
    {
        await using var server = await StartAsync(
            Json(500, """{"error":{"message":"engine overloaded"}}"""),
            Json(503, """{"error":{"message":"warming up"}}"""),
            Completion("""{"role":"assistant","content":"third time lucky"}"""));
        var retries = new List<string>();
        var policy = OpenAiCompatiblePolicy.CreateWithRetries(OptionsFor(server), (n, e, _) => retries.Add($"{n}:{((PolicyException)e).StatusCode}"));

        var response = await policy.RespondAsync([ChatMessage.User("x")]);

        Assert.Equal("third time lucky", response.Action.Content);
        Assert.Equal(["1:500", "2:503"], retries);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Bad_request_fails_fast_with_the_servers_message()
    {
        await using var server = await StartAsync(
            Json(400, """{"error":{"message":"This model's maximum context length is 4096 tokens"}}"""),
            Completion("""{"role":"assistant","content":"never reached"}"""));
        var policy = OpenAiCompatiblePolicy.CreateWithRetries(OptionsFor(server));

        var e = await Assert.ThrowsAsync<PolicyException>(() => policy.RespondAsync([ChatMessage.User("x")]));

        Assert.False(e.IsTransient);
        Assert.Equal(400, e.StatusCode);
        Assert.Contains("HTTP 400", e.Message);
        Assert.Contains("maximum context length is 4096", e.Message);
        Assert.Contains("fake-model @ " + server.BaseUrl, e.Message);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(401, "OPENAI_API_KEY")]
    [InlineData(404, "/v1")]
    public async Task Auth_and_not_found_errors_are_not_transient_and_give_a_hint(int status, string hint)
    {
        await using var server = await StartAsync(Json(status, """{"error":{"message":"nope"}}"""));
        var e = await Assert.ThrowsAsync<PolicyException>(() => new OpenAiCompatiblePolicy(OptionsFor(server)).RespondAsync([ChatMessage.User("x")]));
        Assert.False(e.IsTransient);
        Assert.Contains(hint, e.Message);
    }

    [Fact]
    public async Task Rate_limit_is_transient_and_carries_retry_after()
    {
        await using var server = await StartAsync(Json(429, """{"error":{"message":"slow down"}}""", ("Retry-After", "2")));
        var e = await Assert.ThrowsAsync<PolicyException>(() => new OpenAiCompatiblePolicy(OptionsFor(server)).RespondAsync([ChatMessage.User("x")]));
        Assert.True(e.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(2), e.RetryAfter);
    }

    [Fact]
    public async Task Slow_server_times_out_as_a_transient_failure()
    {
        await using var server = await StartAsync(Delayed(TimeSpan.FromSeconds(30), Completion("""{"role":"assistant","content":"late"}""")));
        var policy = new OpenAiCompatiblePolicy(OptionsFor(server, timeoutSeconds: 0.3));

        var e = await Assert.ThrowsAsync<PolicyException>(() => policy.RespondAsync([ChatMessage.User("x")]));

        Assert.True(e.IsTransient);
        Assert.Contains("no answer within 0.3 s", e.Message);
    }

    [Fact]
    public async Task Callers_cancellation_is_not_reported_as_a_time_out()
    {
        await using var server = await StartAsync(Delayed(TimeSpan.FromSeconds(30), Completion("""{"role":"assistant","content":"late"}""")));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new OpenAiCompatiblePolicy(OptionsFor(server)).RespondAsync([ChatMessage.User("x")], cancellationToken: cts.Token));
    }

    [Fact]
    public async Task Connection_refused_is_transient()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens on this port now
        var policy = new OpenAiCompatiblePolicy(new OpenAiCompatiblePolicyOptions { BaseUrl = $"http://127.0.0.1:{port}/v1", Model = "m" });

        var e = await Assert.ThrowsAsync<PolicyException>(() => policy.RespondAsync([ChatMessage.User("x")]));

        Assert.True(e.IsTransient);
        Assert.Contains("could not reach", e.Message);
    }

    [Fact]
    public void Options_come_from_arguments_before_the_environment()
    {
        var o = OpenAiCompatiblePolicyOptions.FromEnvironment(baseUrl: "http://h:1/v1", apiKey: "k", model: "m");
        Assert.Equal(("http://h:1/v1", "k", "m"), (o.BaseUrl, o.ApiKey, o.Model));
        Assert.Throws<ArgumentException>(() => new OpenAiCompatiblePolicy(o with { BaseUrl = "localhost:8000" }));
    }
}
