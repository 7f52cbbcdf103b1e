using System.Text.Json.Nodes;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;
using Whetstone.Models.Templates;
using Whetstone.Models.Tokenization;

namespace Whetstone.Training.Data;

/// <summary>
/// The rendering contract between agents and a model: a tokenizer plus the model's own chat template. It turns
/// OpenAI-shaped messages and tools into the template's text (prompts end with the generation prompt), encodes text
/// the way <c>apply_chat_template(tokenize=True)</c> does (no extra special tokens: the template writes them), and
/// parses generated assistant text back into an <see cref="AgentAction"/> (reasoning, content, Hermes tool calls).
/// </summary>
/// <remarks>
/// <code>
/// var chat = ChatFormatter.FromDirectory("models/qwen3");
/// int[] prompt = chat.EncodePrompt(messages, tools);      // … &lt;|im_start|&gt;assistant\n
/// AgentAction turn = chat.ParseAssistant(generatedText);   // &lt;think&gt;…&lt;/think&gt; → Reasoning, &lt;tool_call&gt; → ToolCalls
/// </code>
/// </remarks>
public sealed class ChatFormatter
{
    private static readonly string[] UsualEndOfTurnTokens = ["<|im_end|>", "<|eot_id|>", "<end_of_turn>", "<|end|>", "<|endoftext|>"];

    /// <summary>Creates a formatter from a tokenizer and the chat template that goes with it.</summary>
    /// <exception cref="ArgumentException">The end-of-turn token is unknown or not a single token of the tokenizer.</exception>
    public ChatFormatter(Tokenizer tokenizer, ChatTemplate template, ChatFormatterOptions? options = null)
    {
        Tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        Template = template ?? throw new ArgumentNullException(nameof(template));
        Options = options ?? new ChatFormatterOptions();
        EndOfTurnToken = Options.EndOfTurnToken ?? DetectEndOfTurnToken();
        EndOfTurnTokenId = tokenizer.TokenToId(EndOfTurnToken)
            ?? throw new ArgumentException($"end-of-turn token '{EndOfTurnToken}' is not a token of {tokenizer.Source}: the loss mask must end on one token", nameof(options));
    }

    /// <summary>Loads tokenizer.json and tokenizer_config.json (its chat_template) from a model directory.</summary>
    public static ChatFormatter FromDirectory(string directory, ChatFormatterOptions? options = null) =>
        new(Tokenizer.Load(directory), ChatTemplate.FromDirectory(directory), options);

    /// <summary>The tokenizer.</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>The chat template.</summary>
    public ChatTemplate Template { get; }

    /// <summary>The settings.</summary>
    public ChatFormatterOptions Options { get; }

    /// <summary>The token that ends an assistant turn: the last token the model generates, and a stop token.</summary>
    public string EndOfTurnToken { get; }

    /// <summary>Id of <see cref="EndOfTurnToken"/>.</summary>
    public int EndOfTurnTokenId { get; }

    /// <summary>
    /// Ids that end generation: the end-of-turn token first, then the template's and the tokenizer's EOS tokens when
    /// they differ (a base model may end with <c>&lt;|endoftext|&gt;</c> instead).
    /// </summary>
    public IReadOnlyList<int> StopTokenIds
    {
        get
        {
            var ids = new List<int> { EndOfTurnTokenId };
            foreach (var token in new[] { Template.EosToken, Tokenizer.EosToken })
                if (token is not null && Tokenizer.TokenToId(token) is { } id && !ids.Contains(id)) ids.Add(id);
            return ids;
        }
    }

    /// <summary>Renders a conversation with the template.</summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="tools">Tools on offer, or null/empty for none.</param>
    /// <param name="addGenerationPrompt">End with the assistant header so that the model continues with its reply.</param>
    public string Render(IEnumerable<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools = null, bool addGenerationPrompt = false) =>
        Render(TemplateJson.Messages(messages), TemplateJson.Tools(tools), addGenerationPrompt);

    /// <summary>Renders the prompt for the next assistant turn (add_generation_prompt = true).</summary>
    public string RenderPrompt(IEnumerable<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools = null) =>
        Render(messages, tools, addGenerationPrompt: true);

    /// <summary>The ids of <see cref="RenderPrompt"/>: what a local policy feeds the model for a fresh conversation.</summary>
    public int[] EncodePrompt(IEnumerable<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools = null) =>
        Encode(RenderPrompt(messages, tools));

    /// <summary>Encodes template text: special tokens written in it are recognised, and none are added around it.</summary>
    public int[] Encode(string text) => Tokenizer.Encode(text, addSpecialTokens: false);

    /// <summary>Renders already-shaped JSON (see <see cref="TemplateJson"/>).</summary>
    internal string Render(JsonArray messages, JsonArray? tools, bool addGenerationPrompt) =>
        Template.Render(messages, tools, addGenerationPrompt, Options.EnableThinking);

    /// <summary>Parses the ids a local policy generated (decoded with special tokens kept) into an agent action.</summary>
    public AgentAction ParseAssistant(IReadOnlyList<int> generatedIds)
    {
        ArgumentNullException.ThrowIfNull(generatedIds);
        return ParseAssistant(Tokenizer.Decode(generatedIds));
    }

    /// <summary>
    /// Parses generated assistant text: everything from the first <see cref="EndOfTurnToken"/> on is dropped; text up to
    /// the reasoning close tag is the reasoning (the open tag may be missing when the prompt already opened it); the
    /// rest goes through <see cref="HermesToolCallParser"/> for content and tool calls. Never throws on model output:
    /// unreadable calls become <see cref="AgentAction.MalformedToolCalls"/>.
    /// </summary>
    public AgentAction ParseAssistant(string generatedText)
    {
        ArgumentNullException.ThrowIfNull(generatedText);
        var text = generatedText;
        int end = text.IndexOf(EndOfTurnToken, StringComparison.Ordinal);
        if (end >= 0) text = text[..end];

        string? reasoning = null;
        if (Options.ReasoningCloseTag is { Length: > 0 } close)
        {
            int c = text.IndexOf(close, StringComparison.Ordinal);
            if (c >= 0)
            {
                var before = text[..c];
                var outside = "";
                if (Options.ReasoningOpenTag is { Length: > 0 } open && before.IndexOf(open, StringComparison.Ordinal) is var o and >= 0)
                {
                    outside = before[..o];
                    before = before[(o + open.Length)..];
                }
                reasoning = before.Trim('\n');
                if (reasoning.Length == 0) reasoning = null;
                // The templates write "</think>\n\n" before the answer and strip those newlines when reading it back.
                text = outside + text[(c + close.Length)..].TrimStart('\n');
            }
        }

        var parsed = HermesToolCallParser.Parse(text, Options.ToolCallIdPrefix);
        return new AgentAction
        {
            Content = parsed.Content,
            Reasoning = reasoning,
            ToolCalls = parsed.ToolCalls,
            MalformedToolCalls = parsed.MalformedToolCalls,
        };
    }

    // Render "ping" → "pong" and see which end-of-turn candidate the template writes first after the assistant's text.
    private string DetectEndOfTurnToken()
    {
        var candidates = new List<string>();
        foreach (var t in new[] { Template.EosToken, Tokenizer.EosToken }.Concat(UsualEndOfTurnTokens))
            if (t is not null && !candidates.Contains(t) && Tokenizer.TokenToId(t) is not null) candidates.Add(t);
        try
        {
            var prompt = Render([ChatMessage.User("ping")], null, addGenerationPrompt: true);
            var full = Render([ChatMessage.User("ping"), ChatMessage.Assistant("pong")], null, addGenerationPrompt: false);
            int after = full.IndexOf("pong", Math.Min(prompt.Length, full.Length), StringComparison.Ordinal);
            if (after < 0) after = full.LastIndexOf("pong", StringComparison.Ordinal);
            if (after >= 0)
            {
                after += "pong".Length;
                string? best = null;
                int bestAt = int.MaxValue;
                foreach (var c in candidates)
                {
                    int at = full.IndexOf(c, after, StringComparison.Ordinal);
                    if (at >= 0 && at < bestAt) (best, bestAt) = (c, at);
                }
                if (best is not null) return best;
            }
        }
        catch (TemplateException)
        {
            // A template that rejects the probe conversation: fall back to the EOS token below.
        }
        return Template.EosToken ?? Tokenizer.EosToken
            ?? throw new ArgumentException(
                "cannot tell which token ends an assistant turn: the template wrote none of " +
                $"[{string.Join(", ", candidates)}] after the assistant's text and there is no eos_token; set ChatFormatterOptions.EndOfTurnToken");
    }
}
