using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using OpenAI;
using Whetstone.Agents.Messages;
using Sdk = OpenAI.Chat;

namespace Whetstone.Agents.Policies;

/// <summary>
/// A policy served by an OpenAI-compatible chat-completions endpoint (vLLM, SGLang, llama.cpp server, Ollama,
/// OpenAI), called through the official OpenAI .NET SDK. Tool calls whose arguments are not a JSON object come back
/// as <see cref="MalformedToolCall"/>s for the environment to answer. Each call has a time-out; failures are
/// <see cref="PolicyException"/>s that say whether they are transient. This class does not retry: wrap it in a
/// <see cref="RetryingPolicy"/>, or build both with <see cref="CreateWithRetries"/>.
/// </summary>
/// <example><code>
/// // WHET_OPENAI_BASE_URL=http://localhost:8000/v1  WHET_OPENAI_MODEL=Qwen/Qwen3-0.6B
/// IPolicy policy = OpenAiCompatiblePolicy.CreateWithRetries(OpenAiCompatiblePolicyOptions.FromEnvironment());
/// var turn = await policy.RespondAsync([ChatMessage.User("2+2?")], new PolicyOptions { Tools = tools });
/// </code></example>
public sealed class OpenAiCompatiblePolicy : IPolicy
{
    private readonly Sdk.ChatClient _client;
    private readonly OpenAiCompatiblePolicyOptions _options;

    /// <summary>Creates the policy; no request is made until <see cref="RespondAsync"/>.</summary>
    /// <exception cref="ArgumentException">The base URL is not an absolute http(s) URL.</exception>
    public OpenAiCompatiblePolicy(OpenAiCompatiblePolicyOptions options)
    {
        _options = options;
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
            throw new ArgumentException($"Base URL \"{options.BaseUrl}\" is not an absolute http(s) URL such as http://localhost:8000/v1.", nameof(options));
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            // Retrying is RetryingPolicy's job; a second retry loop inside the SDK would multiply attempts and hide errors.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // Our own per-call time-out fires first and is reported as such; this only bounds a stuck connection.
            NetworkTimeout = options.Timeout + TimeSpan.FromSeconds(5),
        };
        _client = new Sdk.ChatClient(options.Model, new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "not-needed" : options.ApiKey), clientOptions);
    }

    /// <summary>The policy wrapped in a <see cref="RetryingPolicy"/> configured by <see cref="OpenAiCompatiblePolicyOptions.Retry"/>.</summary>
    public static IPolicy CreateWithRetries(OpenAiCompatiblePolicyOptions options, Action<int, Exception, TimeSpan>? onRetry = null) =>
        new RetryingPolicy(new OpenAiCompatiblePolicy(options), options.Retry, onRetry);

    /// <summary>The endpoint and model this policy talks to, e.g. for logs.</summary>
    public string Description => $"{_options.Model} @ {_options.BaseUrl}";

    /// <inheritdoc />
    /// <exception cref="PolicyException">The server failed, refused or timed out; <see cref="PolicyException.IsTransient"/> says whether to retry.</exception>
    public async Task<PolicyResponse> RespondAsync(
        IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = OpenAiRequestMapping.Messages(messages);
        var requestOptions = OpenAiRequestMapping.Options(options, _options.UseMaxCompletionTokens);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            var result = await _client.CompleteChatAsync(request, requestOptions, timeout.Token).ConfigureAwait(false);
            return OpenAiResponseMapping.Response(result.Value, result.GetRawResponse().Content);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PolicyException(
                $"{Description}: no answer within {_options.Timeout.TotalSeconds:0.###} s (time-out per call).", isTransient: true, inner: e);
        }
        catch (ClientResultException e)
        {
            throw Classify(e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new PolicyException($"{Description}: could not reach the server: {e.Message}", isTransient: true, inner: e);
        }
    }

    private PolicyException Classify(ClientResultException e)
    {
        var status = e.Status;
        var response = e.GetRawResponse();
        if (status == 0 || response is null)
            return new PolicyException($"{Description}: could not reach the server: {e.Message}", isTransient: true, inner: e);
        var body = Shorten(response.Content?.ToString() ?? "");
        var transient = status is 408 or 409 or 425 or 429 || status >= 500;
        var hint = status switch
        {
            401 or 403 => $" Check the API key ({OpenAiCompatiblePolicyOptions.ApiKeyVariable}).",
            404 => $" Check that the base URL ends in /v1 and that the server serves model \"{_options.Model}\" ({OpenAiCompatiblePolicyOptions.ModelVariable}).",
            400 => " The server rejected the request (unsupported option, tool schema or context length?).",
            _ => "",
        };
        TimeSpan? retryAfter = null;
        if (response.Headers.TryGetValue("Retry-After", out var ra) && double.TryParse(ra, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            retryAfter = TimeSpan.FromSeconds(seconds);
        return new PolicyException($"{Description}: HTTP {status}: {body}{hint}", transient, status, retryAfter, e);
    }

    private static string Shorten(string s)
    {
        s = s.ReplaceLineEndings(" ").Trim();
        return s.Length <= 400 ? s : s[..400] + "…";
    }
}
