using Whetstone.Agents.Messages;

namespace Whetstone.Server.Replies;

/// <summary>
/// The assistant's turn as the server returns it: OpenAI's <c>message</c> fields.
/// </summary>
/// <param name="Content">The visible text (tool-call markup and reasoning removed), or null when there is none.</param>
/// <param name="Reasoning">The text of the reasoning block (sent as <c>reasoning_content</c>, as vLLM does), or null.</param>
/// <param name="ToolCalls">Well-formed Hermes tool calls, with ids unique to the response.</param>
public sealed record AssistantReply(string? Content, string? Reasoning, IReadOnlyList<ToolCall> ToolCalls);
