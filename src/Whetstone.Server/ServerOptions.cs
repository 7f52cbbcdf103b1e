namespace Whetstone.Server;

/// <summary>Settings of <see cref="WhetServer"/>.</summary>
public sealed record ServerOptions
{
    /// <summary>Address to bind; loopback by default so that a model is never exposed by accident.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (read it back from <see cref="WhetServer.BaseAddress"/>).</summary>
    public int Port { get; init; } = 8000;

    /// <summary>The model name clients send and <c>/v1/models</c> lists.</summary>
    public string ModelName { get; init; } = "whet";

    /// <summary>When set, every request needs <c>Authorization: Bearer KEY</c>; null accepts any client.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Most sequences decoded together; further requests queue.</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>Prompt + reply length per sequence (its KV cache); null: the model's limit, at most 4096.</summary>
    public int? MaxSequenceLength { get; init; }

    /// <summary>Largest <c>max_tokens</c> a request may ask for; also the default when it asks for none.</summary>
    public int MaxTokensLimit { get; init; } = 1024;

    /// <summary>Largest request body in bytes (413 above).</summary>
    public long MaxRequestBytes { get; init; } = 1 << 20;

    /// <summary>Where to write one line per request (null: quiet).</summary>
    public TextWriter? Log { get; init; }
}
