namespace Whetstone.Agents.Policies;

/// <summary>
/// Where and how <see cref="OpenAiCompatiblePolicy"/> reaches an OpenAI-compatible server (vLLM, SGLang, llama.cpp
/// server, Ollama, OpenAI). <see cref="FromEnvironment"/> fills the connection from environment variables.
/// </summary>
public sealed record OpenAiCompatiblePolicyOptions
{
    /// <summary>Environment variable for the base URL, read before <see cref="FallbackBaseUrlVariable"/>.</summary>
    public const string BaseUrlVariable = "WHET_OPENAI_BASE_URL";

    /// <summary>The OpenAI SDKs' own base-URL variable, used when <see cref="BaseUrlVariable"/> is unset.</summary>
    public const string FallbackBaseUrlVariable = "OPENAI_BASE_URL";

    /// <summary>Environment variable for the API key.</summary>
    public const string ApiKeyVariable = "OPENAI_API_KEY";

    /// <summary>Environment variable for the model name.</summary>
    public const string ModelVariable = "WHET_OPENAI_MODEL";

    /// <summary>The base URL used when nothing is configured: a local vLLM server.</summary>
    public const string DefaultBaseUrl = "http://localhost:8000/v1";

    /// <summary>Base URL including the <c>/v1</c> path, e.g. <c>http://localhost:11434/v1</c> for Ollama.</summary>
    public string BaseUrl { get; init; } = DefaultBaseUrl;

    /// <summary>
    /// API key sent as a bearer token. Local servers ignore it but the SDK needs one, so a placeholder is used when
    /// none is set (Ollama and llama.cpp accept any value).
    /// </summary>
    public string ApiKey { get; init; } = "not-needed";

    /// <summary>Model name as the server knows it (vLLM: the served model name; Ollama: e.g. <c>qwen3:0.6b</c>).</summary>
    public required string Model { get; init; }

    /// <summary>Time-out of one call (one HTTP request); a call that runs longer fails as transient.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Send the token limit as <c>max_completion_tokens</c> (OpenAI's current name, required by its reasoning models)
    /// instead of <c>max_tokens</c>, which every local server understands. Default false.
    /// </summary>
    public bool UseMaxCompletionTokens { get; init; }

    /// <summary>Retry settings used by <see cref="OpenAiCompatiblePolicy.CreateWithRetries"/>.</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>
    /// Options from the environment: <c>WHET_OPENAI_BASE_URL</c> (else <c>OPENAI_BASE_URL</c>, else
    /// <see cref="DefaultBaseUrl"/>), <c>OPENAI_API_KEY</c> (else a placeholder) and <c>WHET_OPENAI_MODEL</c>, each
    /// overridden by the matching argument when it is not null.
    /// </summary>
    /// <exception cref="InvalidOperationException">No model was given and <c>WHET_OPENAI_MODEL</c> is unset.</exception>
    public static OpenAiCompatiblePolicyOptions FromEnvironment(string? baseUrl = null, string? apiKey = null, string? model = null)
    {
        static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
        return new OpenAiCompatiblePolicyOptions
        {
            BaseUrl = baseUrl ?? Env(BaseUrlVariable) ?? Env(FallbackBaseUrlVariable) ?? DefaultBaseUrl,
            ApiKey = apiKey ?? Env(ApiKeyVariable) ?? "not-needed",
            Model = model ?? Env(ModelVariable)
                ?? throw new InvalidOperationException($"No model given: pass one or set {ModelVariable} (e.g. {ModelVariable}=Qwen/Qwen3-0.6B)."),
        };
    }
}
