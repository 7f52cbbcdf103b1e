using System.Net;
using System.Text;
using System.Text.Json;

namespace Whetstone.Server.Tests.Endpoints;

/// <summary>Raw HTTP: OpenAI-shaped error bodies that name the problem, /v1/models, SSE framing.</summary>
public sealed class HttpErrorTests(TinyServer fixture) : IClassFixture<TinyServer>
{
    private async Task<(HttpStatusCode Status, JsonElement Error)> Post(string body, HttpClient? http = null)
    {
        using var own = http is null ? fixture.Http() : null;
        var response = await (http ?? own!).PostAsync("chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, json.TryGetProperty("error", out var e) ? e : json);
    }

    private const string Messages = """[{"role":"user","content":"hi"}]""";

    [Fact]
    public async Task Malformed_json_is_400_with_an_openai_error_body()
    {
        var (status, error) = await Post("""{"model": "tiny", "messages": [""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Malformed JSON", error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_json", error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
    }

    [Theory]
    [InlineData("""{"model":"tiny"}""", "messages")]
    [InlineData("""{"model":"tiny","messages":[]}""", "messages")]
    [InlineData("""{"model":"tiny","messages":"hi"}""", "messages")]
    [InlineData("""{"model":"tiny","messages":[{"role":"robot","content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"model":"tiny","messages":[{"role":"user","content":"hi"},{"role":"user","content":5}]}""", "messages[1].content")]
    [InlineData("""{"model":"tiny","messages":[{"role":"tool","content":"7"}]}""", "messages[0].tool_call_id")]
    [InlineData("""{"model":"tiny","messages":MSG,"temperature":"hot"}""", "temperature")]
    [InlineData("""{"model":"tiny","messages":MSG,"temperature":3}""", "temperature")]
    [InlineData("""{"model":"tiny","messages":MSG,"max_tokens":1.5}""", "max_tokens")]
    [InlineData("""{"model":"tiny","messages":MSG,"max_tokens":0}""", "max_tokens")]
    [InlineData("""{"model":"tiny","messages":MSG,"max_tokens":65}""", "max_tokens")]
    [InlineData("""{"model":"tiny","messages":MSG,"n":2}""", "n")]
    [InlineData("""{"model":"tiny","messages":MSG,"stop":[1]}""", "stop[0]")]
    [InlineData("""{"model":"tiny","messages":MSG,"stream":"yes"}""", "stream")]
    [InlineData("""{"model":"tiny","messages":MSG,"tools":[{"type":"function"}]}""", "tools[0].function")]
    [InlineData("""{"model":"tiny","messages":MSG,"tool_choice":"required"}""", "tool_choice")]
    [InlineData("""{"messages":MSG}""", "model")]
    public async Task Bad_fields_are_400_naming_the_field(string body, string param)
    {
        var (status, error) = await Post(body.Replace("MSG", Messages, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.StartsWith(param + ":", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Missing_key_is_401_and_an_oversized_body_is_413()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseAddress + "/") };
        var (status, error) = await Post($$"""{"model":"tiny","messages":{{Messages}}}""", anonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("models")).StatusCode);

        var huge = new string('a', 70 * 1024);
        (status, error) = await Post($$"""{"model":"tiny","messages":[{"role":"user","content":"{{huge}}"}]}""");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("65536 bytes", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_is_400()
    {
        var words = string.Join(' ', Enumerable.Range(0, 3000).Select(i => $"w{i}"));
        var (status, error) = await Post($$$"""{"model":"tiny","messages":[{"role":"user","content":"{{{words}}}"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("messages", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Developer_role_and_text_parts_render_like_system_and_a_string()
    {
        using var http = fixture.Http();
        var response = await http.PostAsync("chat/completions", new StringContent(
            """{"model":"tiny","max_tokens":2,"messages":[{"role":"developer","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"What is "},{"type":"text","text":"3+4?"}]}]}""",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var usage = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("usage");
        var expected = fixture.Chat.EncodePrompt([Whetstone.Agents.Messages.ChatMessage.System("Be brief."), Whetstone.Agents.Messages.ChatMessage.User("What is 3+4?")]);
        Assert.Equal(expected.Length, usage.GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Models_lists_the_served_model()
    {
        using var http = fixture.Http();
        var json = JsonDocument.Parse(await http.GetStringAsync("models")).RootElement;
        Assert.Equal("list", json.GetProperty("object").GetString());
        var model = Assert.Single(json.GetProperty("data").EnumerateArray().ToList());
        Assert.Equal(TinyServer.ModelName, model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
    }

    [Fact]
    public async Task Streaming_is_server_sent_events_ending_in_done()
    {
        using var http = fixture.Http();
        var response = await http.PostAsync("chat/completions", new StringContent(
            $$$"""{"model":"tiny","messages":{{{Messages}}},"stream":true,"max_tokens":5,"seed":4,"stream_options":{"include_usage":true}}""",
            Encoding.UTF8, "application/json"));
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.StartsWith("data: ", l));
        Assert.Equal("data: [DONE]", lines[^1]);
        var chunks = lines[..^1].Select(l => JsonDocument.Parse(l["data: ".Length..]).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var usage = chunks[^1].GetProperty("usage");
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(),
            usage.GetProperty("total_tokens").GetInt32());
        var finish = chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString();
        Assert.Contains(finish, new[] { "stop", "length", "tool_calls" });
    }

    [Fact]
    public async Task Unknown_route_is_404_json()
    {
        using var http = fixture.Http();
        var response = await http.GetAsync("completions");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Contains("/v1/chat/completions", error.GetProperty("message").GetString());
    }
}
