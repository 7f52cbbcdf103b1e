using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whetstone.Agents.Tests.Environments.Http;

/// <summary>
/// A tiny environment server speaking the HTTP environment protocol, as a program in another language would:
/// guess a number in 1..10 with the tool guess(n); the seed picks the number. It also serves /expert and can be
/// told to fail, to test how the client reports a broken server.
/// </summary>
internal sealed class GuessNumberServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, (int Secret, int Guesses)> _sessions = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _nextSession;

    /// <summary>When set, /step answers with this raw body (to test protocol violations).</summary>
    public string? StepOverride { get; set; }

    /// <summary>When set, every request answers with this status code.</summary>
    public int? FailWith { get; set; }

    public Uri BaseUri { get; }

    public GuessNumberServer()
    {
        var port = FreePort();
        BaseUri = new Uri($"http://127.0.0.1:{port}/env/");
        _listener.Prefixes.Add(BaseUri.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (HttpListenerException) { return; }
            try { Handle(context); }
            finally { context.Response.Close(); }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath[BaseUri.AbsolutePath.Length..];
        string body;
        using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            body = reader.ReadToEnd();
        if (FailWith is int status)
        {
            Write(context, status, """{"error":"server is broken"}""");
            return;
        }
        switch (path)
        {
            case "info":
                Write(context, 200, """{"name":"guess","description":"Guess a number from 1 to 10."}""");
                break;
            case "tasks":
                var query = System.Web.HttpUtility.ParseQueryString(context.Request.Url.Query);
                var split = query["split"]!;
                var count = int.Parse(query["count"]!);
                var offset = int.Parse(query["offset"]!);
                var baseSeed = split == "train" ? 0 : 1_000_000;
                var tasks = new JsonArray(Enumerable.Range(offset, count)
                    .Select(i => (JsonNode)new JsonObject { ["id"] = $"guess/{split}/{i}", ["split"] = split, ["seed"] = baseSeed + i })
                    .ToArray());
                Write(context, 200, new JsonObject { ["tasks"] = tasks }.ToJsonString());
                break;
            case "reset":
                var seed = JsonNode.Parse(body)!["task"]!["seed"]!.GetValue<int>();
                var id = $"s{Interlocked.Increment(ref _nextSession)}";
                lock (_sessions) _sessions[id] = (seed % 10 + 1, 0);
                Write(context, 200, $$$"""
                    {"session_id":"{{{id}}}",
                     "observations":[{"source":"system","content":"Guess the number."},{"source":"user","content":"It is between 1 and 10."}],
                     "tools":[{"name":"guess","description":"Guess a number.","parameters":{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}}]}
                    """);
                break;
            case "step":
                if (StepOverride is not null)
                {
                    Write(context, 200, StepOverride);
                    break;
                }
                Write(context, 200, Step(JsonNode.Parse(body)!));
                break;
            case "expert":
                var session = JsonNode.Parse(body)!["session_id"]!.GetValue<string>();
                int secret;
                lock (_sessions) secret = _sessions[session].Secret;
                var call = new JsonObject { ["id"] = "call_0", ["name"] = "guess", ["arguments"] = $"{{\"n\":{secret}}}" };
                Write(context, 200, new JsonObject { ["tool_calls"] = new JsonArray(call), ["malformed_tool_calls"] = new JsonArray() }.ToJsonString());
                break;
            default:
                Write(context, 404, """{"error":"not found"}""");
                break;
        }
    }

    private string Step(JsonNode request)
    {
        var session = request["session_id"]!.GetValue<string>();
        var call = request["action"]!["tool_calls"]!.AsArray().FirstOrDefault();
        if (call is null)
            return """{"observations":[{"source":"environment","content":"Call guess(n).","is_error":true}],"reward":0,"done":false}""";
        var callId = call["id"]!.GetValue<string>();
        var n = JsonNode.Parse(call["arguments"]!.GetValue<string>())!["n"]!.GetValue<int>();
        int secret, guesses;
        lock (_sessions)
        {
            (secret, guesses) = _sessions[session];
            _sessions[session] = (secret, ++guesses);
        }
        var verdict = n == secret ? "correct" : n < secret ? "higher" : "lower";
        var done = n == secret || guesses >= 5;
        return new JsonObject
        {
            ["observations"] = new JsonArray(new JsonObject
            {
                ["source"] = "tool", ["content"] = verdict, ["tool_call_id"] = callId, ["name"] = "guess",
            }),
            ["reward"] = n == secret ? 1.0 : 0.0,
            ["done"] = done,
            ["success"] = done ? n == secret : null,
            ["metrics"] = done ? new JsonObject { ["guesses"] = guesses } : null,
        }.ToJsonString();
    }

    private static void Write(HttpListenerContext context, int status, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.OutputStream.Write(bytes);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
