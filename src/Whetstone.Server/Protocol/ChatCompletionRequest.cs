using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;

namespace Whetstone.Server.Protocol;

/// <summary>A validated <c>POST /v1/chat/completions</c> body.</summary>
public sealed record ChatCompletionRequest
{
    /// <summary>The model name the client asked for.</summary>
    public required string Model { get; init; }

    /// <summary>The conversation (developer messages become system messages).</summary>
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>Tools offered to the model (rendered by the chat template); empty for none or <c>tool_choice: "none"</c>.</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    /// <summary>Sampling temperature (default 1; 0 is greedy).</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Nucleus mass (default 1).</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>vLLM's <c>top_k</c> extension (0 = off).</summary>
    public int TopK { get; init; }

    /// <summary>vLLM's <c>min_p</c> extension (0 = off).</summary>
    public float MinP { get; init; }

    /// <summary><c>max_completion_tokens</c> or <c>max_tokens</c>; null means the server's default.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Stop strings (left out of the reply).</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>Seed of the sampler; null draws one.</summary>
    public long? Seed { get; init; }

    /// <summary>Stream server-sent events.</summary>
    public bool Stream { get; init; }

    /// <summary><c>stream_options.include_usage</c>: a last chunk with usage and no choices.</summary>
    public bool StreamIncludeUsage { get; init; }
}
