using System.Text.Json.Nodes;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;
using Whetstone.Models.Templates;

namespace Whetstone.Training.Data;

/// <summary>
/// Renders prefixes of one conversation and cuts the text into what the model generates (an assistant turn up to and
/// including the end-of-turn token) and what is given to it (everything else). Shared by the SFT tokenizer and the
/// token-in/token-out rollout builder, so that both cut at exactly the same places.
/// </summary>
internal sealed class IncrementalRenderer
{
    // Appended to an assistant message's content to find where its rendering is in a longer conversation.
    private const string Sentinel = "\u2063whetstone-end-of-assistant-text\u2063";

    private readonly ChatFormatter _chat;
    private readonly JsonArray _messages;
    private readonly JsonArray? _tools;

    public IncrementalRenderer(ChatFormatter chat, IEnumerable<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools)
    {
        _chat = chat;
        _messages = TemplateJson.Messages(messages);
        _tools = TemplateJson.Tools(tools);
    }

    public int Count => _messages.Count;

    private string Eot => _chat.EndOfTurnToken;

    /// <summary>Adds a message at the end (rollouts grow the conversation as they go).</summary>
    public void Add(ChatMessage message) => _messages.Add(TemplateJson.Message(message));

    /// <summary>The template's text for messages [0, count), with the generation prompt when asked.</summary>
    public string Render(int count, bool addGenerationPrompt) => Render(Slice(count), count, addGenerationPrompt);

    private string Render(JsonArray messages, int count, bool addGenerationPrompt)
    {
        try
        {
            return _chat.Render(messages, _tools, addGenerationPrompt); // rendering reads the tools, never changes them
        }
        catch (TemplateException e)
        {
            throw new TemplateException($"rendering messages 0..{count - 1} (add_generation_prompt={addGenerationPrompt}): {e.Message}", inner: e);
        }
    }

    /// <summary>
    /// The assistant message at <paramref name="index"/> as the template renders it right after
    /// <paramref name="prompt"/> (= Render(index, true)): the completion up to and including the end-of-turn token,
    /// and the full text through that message (Render(index + 1, false)).
    /// </summary>
    public (string Completion, string Full) Completion(int index, string prompt)
    {
        var full = Render(index + 1, addGenerationPrompt: false);
        if (!full.StartsWith(prompt, StringComparison.Ordinal))
            throw new TemplateMismatchException(index,
                $"assistant message {index}: the template's text through this message does not start with the generation prompt " +
                $"before it, so no model could have generated it after that prompt ({TemplateMismatchException.Divergence(prompt, full)}). " +
                "Typical causes: reasoning on a turn while enable_thinking=false, or a template that rewrites the turn.");
        var segment = full[prompt.Length..];
        int cut = segment.LastIndexOf(Eot, StringComparison.Ordinal);
        if (cut < 0)
            throw new TemplateMismatchException(index,
                $"assistant message {index}: the template's rendering of it has no end-of-turn token '{Eot}'; " +
                "set ChatFormatterOptions.EndOfTurnToken to the token that ends assistant turns");
        return (segment[..(cut + Eot.Length)], full);
    }

    /// <summary>
    /// The text after the end-of-turn token of the assistant message at <paramref name="assistantIndex"/> up to the
    /// end of Render(<paramref name="count"/>, true): observations, template glue and the next generation prompt.
    /// Found by prefix when the template renders incrementally, else by marking the assistant's text; null when neither
    /// works.
    /// </summary>
    public string? DeltaAfter(int assistantIndex, int count, string? fullThroughAssistant = null, string? nextPrompt = null)
    {
        fullThroughAssistant ??= Render(assistantIndex + 1, addGenerationPrompt: false);
        nextPrompt ??= Render(count, addGenerationPrompt: true);
        return DeltaByPrefix(fullThroughAssistant, nextPrompt) ?? DeltaBySentinel(assistantIndex, count);
    }

    /// <summary>tail-after-end-of-turn + the new text, when <paramref name="nextPrompt"/> extends <paramref name="full"/>.</summary>
    public string? DeltaByPrefix(string full, string nextPrompt)
    {
        if (!nextPrompt.StartsWith(full, StringComparison.Ordinal)) return null;
        int cut = full.LastIndexOf(Eot, StringComparison.Ordinal);
        return cut < 0 ? null : full[(cut + Eot.Length)..] + nextPrompt[full.Length..];
    }

    // The template may render earlier turns differently once later messages exist (Qwen3 drops old reasoning); the
    // text after an assistant turn does not depend on that. Mark the turn's content and cut after the first
    // end-of-turn token that follows the mark.
    private string? DeltaBySentinel(int assistantIndex, int count)
    {
        var messages = Slice(count);
        var message = messages[assistantIndex]!.AsObject();
        message["content"] = (message["content"]?.GetValue<string>() ?? "") + Sentinel;
        var text = Render(messages, count, addGenerationPrompt: true);
        int mark = text.IndexOf(Sentinel, StringComparison.Ordinal);
        if (mark < 0 || text.IndexOf(Sentinel, mark + 1, StringComparison.Ordinal) >= 0) return null;
        int end = text.IndexOf(Eot, mark, StringComparison.Ordinal);
        return end < 0 ? null : text[(end + Eot.Length)..];
    }

    private JsonArray Slice(int count)
    {
        var slice = new JsonArray();
        for (int i = 0; i < count; i++) slice.Add(_messages[i]!.DeepClone());
        return slice;
    }
}
