using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Whetstone.Agents.Tests.Policies;

/// <summary>
/// A scripted OpenAI-compatible server on 127.0.0.1 and a free port: each POST /v1/chat/completions gets the next
/// scripted reply, and every request body is kept for assertions.
/// </summary>
internal sealed class FakeOpenAiServer : IAsyncDisposable
{
    public delegate Task Reply(HttpContext context);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Reply> _script;

    private FakeOpenAiServer(WebApplication app, IEnumerable<Reply> script)
    {
        _app = app;
        _script = new ConcurrentQueue<Reply>(script);
    }

    public ConcurrentQueue<JsonObject> Requests { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public static async Task<FakeOpenAiServer> StartAsync(params Reply[] script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAiServer(app, script);
        app.MapPost("/v1/chat/completions", async context =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body);
            server.Requests.Enqueue(body!.AsObject());
            if (server._script.TryDequeue(out var reply)) await reply(context);
            else await Json(500, """{"error":{"message":"no scripted reply left"}}""")(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/') + "/v1";
        return server;
    }

    public static Reply Json(int status, string body, params (string Name, string Value)[] headers) => async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        foreach (var (name, value) in headers) context.Response.Headers[name] = value;
        await context.Response.WriteAsync(body);
    };

    /// <summary>A successful completion whose choice carries <paramref name="messageJson"/>.</summary>
    public static Reply Completion(string messageJson, string finishReason = "stop", int promptTokens = 11, int completionTokens = 7) =>
        Json(200,
            """{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"fake","choices":[{"index":0,"message":"""
            + messageJson + $$""","finish_reason":"{{finishReason}}"}],"usage":{"prompt_tokens":{{promptTokens}},"completion_tokens":{{completionTokens}},"total_tokens":{{promptTokens + completionTokens}}""" + "}}");

    public static Reply Delayed(TimeSpan delay, Reply then) => async context =>
    {
        try { await Task.Delay(delay, context.RequestAborted); }
        catch (OperationCanceledException) { return; }
        await then(context);
    };

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
