namespace Whetstone.Training.Data;

/// <summary>Settings of a <see cref="ChatFormatter"/>. Rollouts and training must use the same values.</summary>
public sealed record ChatFormatterOptions
{
    /// <summary>
    /// Passed to the template as <c>enable_thinking</c> when not null (Qwen3: false puts an empty
    /// <c>&lt;think&gt;</c> block into the generation prompt). Null leaves it undefined, as transformers does.
    /// </summary>
    public bool? EnableThinking { get; init; }

    /// <summary>
    /// The text of the token that ends an assistant turn (<c>&lt;|im_end|&gt;</c> for ChatML, <c>&lt;|eot_id|&gt;</c> for
    /// Llama 3). Null: found by rendering a probe conversation and taking the first of the template's and tokenizer's
    /// EOS token and the usual end-of-turn tokens that the template writes right after the assistant's text.
    /// </summary>
    public string? EndOfTurnToken { get; init; }

    /// <summary>Opening tag of reasoning in generated text; null (with <see cref="ReasoningCloseTag"/>) disables reasoning parsing.</summary>
    public string? ReasoningOpenTag { get; init; } = "<think>";

    /// <summary>Closing tag of reasoning in generated text.</summary>
    public string? ReasoningCloseTag { get; init; } = "</think>";

    /// <summary>Prefix of the ids given to parsed tool calls: the n-th call of a turn gets <c>{prefix}{n}</c>.</summary>
    public string ToolCallIdPrefix { get; init; } = "call_";
}
