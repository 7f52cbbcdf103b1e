using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Whetstone.Models.Generation;
using Whetstone.Models.Transformer;
using Whetstone.Server.Endpoints;
using Whetstone.Training.Data;

namespace Whetstone.Server;

/// <summary>
/// An OpenAI-compatible HTTP server over a local <see cref="TransformerModel"/>: <c>POST /v1/chat/completions</c>
/// (tools, streaming) and <c>GET /v1/models</c>. All requests share one batched decoder (continuous batching).
/// </summary>
/// <remarks>
/// <code>
/// await using var server = await WhetServer.StartAsync(model, ChatFormatter.FromDirectory(dir), new ServerOptions { Port = 0 });
/// Console.WriteLine(server.BaseAddress);   // http://127.0.0.1:41234/v1
/// </code>
/// </remarks>
public sealed class WhetServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly BatchedDecoder _decoder;

    private WhetServer(WebApplication app, BatchedDecoder decoder, Uri baseAddress)
    {
        _app = app;
        _decoder = decoder;
        BaseAddress = baseAddress;
    }

    /// <summary>The API base address including <c>/v1</c>, e.g. <c>http://127.0.0.1:8000/v1</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Tokens generated since start, over all requests.</summary>
    public long TokensGenerated => _decoder.TokensGenerated;

    /// <summary>Binds and starts serving <paramref name="model"/> (not owned) with its chat formatter.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static async Task<WhetServer> StartAsync(TransformerModel model, ChatFormatter chat, ServerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(chat);
        options ??= new ServerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTokensLimit, 1, nameof(options.MaxTokensLimit));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRequestBytes, 1, nameof(options.MaxRequestBytes));
        if (!IPAddress.TryParse(options.Host == "localhost" ? "127.0.0.1" : options.Host, out var address))
            throw new ArgumentException($"--host: \"{options.Host}\" is not an IP address.", nameof(options));

        var generator = new Generator(model, new GeneratorOptions { MaxBatchSize = options.MaxBatchSize, MaxSequenceLength = options.MaxSequenceLength });
        var decoder = new BatchedDecoder(generator, "whet-serve decoder");
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Listen(address, options.Port);
                k.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            });
            var app = builder.Build();
            var completions = new ChatCompletionsEndpoint(chat, decoder, options, MaxSequence(model, options));
            var auth = new ApiKeyCheck(options.ApiKey);
            app.MapGet("/v1/models", (HttpContext c) => auth.Run(c, () => ModelsEndpoint.Handle(c, options.ModelName)));
            app.MapPost("/v1/chat/completions", (HttpContext c) => auth.Run(c, () => completions.Handle(c)));
            app.MapFallback((HttpContext c) => ErrorWriter.Write(c, new Protocol.ApiError(404,
                $"No route {c.Request.Method} {c.Request.Path}: this server has POST /v1/chat/completions and GET /v1/models.", null, "unknown_url")));
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var uri = new Uri(new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)), "/v1");
            return new WhetServer(app, decoder, uri);
        }
        catch
        {
            decoder.Dispose();
            throw;
        }
    }

    private static int MaxSequence(TransformerModel model, ServerOptions options) =>
        options.MaxSequenceLength ?? Math.Min(model.Config.MaxPositionEmbeddings, 4096);

    /// <summary>Completes when the server stops (e.g. after <see cref="DisposeAsync"/> or Ctrl+C handling by the host).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops accepting requests, ends those in flight and frees the decoder.</summary>
    public async ValueTask DisposeAsync()
    {
        _decoder.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
