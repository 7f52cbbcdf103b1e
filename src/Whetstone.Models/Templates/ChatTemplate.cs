using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whetstone.Models.Templates;

/// <summary>
/// A Hugging Face chat template: the <c>chat_template</c> of a tokenizer_config.json (a single string
/// or a list of named templates) plus the tokenizer's special tokens, rendered exactly as
/// <c>tokenizer.apply_chat_template(messages, tools=…, add_generation_prompt=…, **kwargs)</c> does.
/// </summary>
/// <remarks>
/// Like transformers, the template sees <c>messages</c>, <c>tools</c> (none when absent),
/// <c>documents</c> (none), <c>add_generation_prompt</c>, every special token that is set
/// (<c>bos_token</c>, <c>eos_token</c>, <c>pad_token</c>, <c>unk_token</c>, <c>sep_token</c>,
/// <c>cls_token</c>, <c>mask_token</c>, <c>additional_special_tokens</c>) and the extra keyword
/// arguments, which override special tokens of the same name. <c>enable_thinking</c> is passed only
/// when given, so templates that test <c>enable_thinking is defined</c> behave as in Python.
/// </remarks>
public sealed class ChatTemplate
{
    private static readonly string[] SpecialTokenNames =
        ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"];

    private readonly Dictionary<string, JinjaTemplate> _templates;
    private readonly Dictionary<string, object?> _specialTokens;

    /// <summary>Creates a chat template from one Jinja source and the tokenizer's special tokens (name → token text).</summary>
    public ChatTemplate(string source, IReadOnlyDictionary<string, string>? specialTokens = null)
        : this(new Dictionary<string, string> { ["default"] = source }, specialTokens)
    {
    }

    /// <summary>Creates a chat template from named Jinja sources (e.g. "default" and "tool_use") and the special tokens.</summary>
    public ChatTemplate(IReadOnlyDictionary<string, string> namedSources, IReadOnlyDictionary<string, string>? specialTokens = null)
    {
        ArgumentNullException.ThrowIfNull(namedSources);
        if (namedSources.Count == 0) throw new ArgumentException("at least one chat template is needed", nameof(namedSources));
        _templates = new(StringComparer.Ordinal);
        foreach (var (name, source) in namedSources)
        {
            try { _templates[name] = new JinjaTemplate(source); }
            catch (TemplateException e) { throw new TemplateException($"chat template '{name}': {e.Reason}", e.Line, e.Column, e); }
        }
        _specialTokens = new(StringComparer.Ordinal);
        if (specialTokens != null)
            foreach (var (k, v) in specialTokens) _specialTokens[k] = v;
    }

    private ChatTemplate(Dictionary<string, JinjaTemplate> templates, Dictionary<string, object?> specialTokens)
    {
        _templates = templates;
        _specialTokens = specialTokens;
    }

    /// <summary>The names of the templates (a single string template is named "default").</summary>
    public IReadOnlyCollection<string> TemplateNames => _templates.Keys;

    /// <summary>The beginning-of-sequence token text, or null when the tokenizer has none.</summary>
    public string? BosToken => _specialTokens.GetValueOrDefault("bos_token") as string;

    /// <summary>The end-of-sequence token text, or null when the tokenizer has none.</summary>
    public string? EosToken => _specialTokens.GetValueOrDefault("eos_token") as string;

    /// <summary>
    /// When true (the default), a tool call whose <c>function.arguments</c> is a JSON string holding an
    /// object is passed to the template as that object, as vLLM and SGLang do for OpenAI-shaped
    /// messages, so templates that apply <c>tojson</c> to arguments render the canonical form. Set
    /// false to pass messages through untouched, exactly as transformers does.
    /// </summary>
    public bool ParseStringToolArguments { get; set; } = true;

    /// <summary>Clock for the <c>strftime_now</c> global; the system clock when null.</summary>
    public TimeProvider? Time { get; set; }

    /// <summary>Loads the chat template and special tokens from a tokenizer folder: tokenizer_config.json,
    /// falling back to chat_template.jinja or chat_template.json beside it when the config has no template.</summary>
    public static ChatTemplate FromDirectory(string directory)
    {
        string configPath = Path.Combine(directory, "tokenizer_config.json");
        if (!File.Exists(configPath)) throw new FileNotFoundException($"no tokenizer_config.json in '{directory}'", configPath);
        return FromTokenizerConfigFile(configPath);
    }

    /// <summary>Loads from a tokenizer_config.json file (chat_template.jinja / chat_template.json in the same folder are used when the config has no template).</summary>
    public static ChatTemplate FromTokenizerConfigFile(string path)
    {
        JsonNode? config;
        try { config = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new TemplateException($"{path}: invalid JSON at line {e.LineNumber + 1}: {e.Message}"); }
        if (config is not JsonObject obj) throw new TemplateException($"{path}: expected a JSON object");
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        string? fallback = null;
        if (obj["chat_template"] is null && dir != null)
        {
            string jinja = Path.Combine(dir, "chat_template.jinja");
            string json = Path.Combine(dir, "chat_template.json");
            if (File.Exists(jinja)) fallback = File.ReadAllText(jinja);
            else if (File.Exists(json)) fallback = JsonNode.Parse(File.ReadAllText(json))?["chat_template"]?.GetValue<string>();
        }
        try { return FromTokenizerConfig(obj, fallback); }
        catch (TemplateException e) { throw new TemplateException($"{path}: {e.Reason}", e.Line, e.Column, e); }
    }

    /// <summary>
    /// Builds from a parsed tokenizer_config.json. <c>chat_template</c> may be a string or a list of
    /// <c>{"name", "template"}</c> objects; special tokens may be strings or AddedToken objects
    /// (<c>{"content": …}</c>). <paramref name="fallbackSource"/> is used when the config has no template.
    /// </summary>
    public static ChatTemplate FromTokenizerConfig(JsonObject config, string? fallbackSource = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (config["chat_template"])
        {
            case JsonValue v when v.TryGetValue<string>(out var s):
                sources["default"] = s;
                break;
            case JsonArray list:
                for (int i = 0; i < list.Count; i++)
                {
                    if (list[i] is not JsonObject entry || entry["name"]?.GetValue<string>() is not { } name || entry["template"]?.GetValue<string>() is not { } source)
                        throw new TemplateException($"field 'chat_template[{i}]': expected an object with string 'name' and 'template'");
                    sources[name] = source;
                }
                break;
            case null when fallbackSource != null:
                sources["default"] = fallbackSource;
                break;
            case null:
                throw new TemplateException("field 'chat_template': missing (and no chat_template.jinja beside the config)");
            default:
                throw new TemplateException("field 'chat_template': expected a string or a list of named templates");
        }
        var templates = new Dictionary<string, JinjaTemplate>(StringComparer.Ordinal);
        foreach (var (name, source) in sources)
        {
            try { templates[name] = new JinjaTemplate(source); }
            catch (TemplateException e) { throw new TemplateException($"field 'chat_template' ('{name}'): {e.Reason}", e.Line, e.Column, e); }
        }
        var special = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var name in SpecialTokenNames)
            if (TokenText(config[name]) is { } text) special[name] = text;
        if (config["additional_special_tokens"] is JsonArray extra)
            special["additional_special_tokens"] = extra.Select(t => (object?)TokenText(t)).Where(t => t != null).ToList();
        return new ChatTemplate(templates, special);
    }

    private static string? TokenText(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonObject o when o["content"] is JsonValue c && c.TryGetValue<string>(out var s) => s,
        _ => null,
    };

    /// <summary>
    /// Renders a conversation. <paramref name="messages"/> is a JSON array of OpenAI-shaped messages
    /// (role, content, tool_calls with function.name/arguments, tool_call_id, reasoning_content…);
    /// <paramref name="tools"/> a JSON array of tool schemas or null.
    /// </summary>
    /// <param name="messages">The conversation, as a JSON array.</param>
    /// <param name="tools">Tool schemas (JSON array), or null for none.</param>
    /// <param name="addGenerationPrompt">Append the assistant header so the model continues with a reply.</param>
    /// <param name="enableThinking">Passed as <c>enable_thinking</c> when not null (Qwen3 and similar).</param>
    /// <param name="extraKwargs">Further template variables (e.g. <c>custom_instructions</c>), as JSON.</param>
    /// <param name="templateName">Pick a named template; by default "tool_use" when tools are given and it exists, else "default".</param>
    /// <param name="continueFinalMessage">
    /// Cut the output right after the last message's text so the model continues it (transformers'
    /// <c>continue_final_message</c>); cannot be combined with <paramref name="addGenerationPrompt"/>.
    /// </param>
    public string Render(JsonNode messages, JsonNode? tools = null, bool addGenerationPrompt = false, bool? enableThinking = null,
        IReadOnlyDictionary<string, JsonNode?>? extraKwargs = null, string? templateName = null, bool continueFinalMessage = false)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (continueFinalMessage && addGenerationPrompt)
            throw new TemplateException("continue_final_message and add_generation_prompt cannot both be set: one continues the last message, the other starts a new one");
        if (messages is not JsonArray) throw new TemplateException("messages: expected a JSON array");
        if (tools is not (null or JsonArray)) throw new TemplateException("tools: expected a JSON array or null");
        var template = Select(templateName, tools != null);
        var vars = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in _specialTokens) vars[k] = v;
        var messageValues = JsonValues.FromNode(messages);
        if (ParseStringToolArguments) ParseToolArguments(messageValues);
        vars["messages"] = messageValues;
        vars["tools"] = JsonValues.FromNode(tools);
        vars["documents"] = null;
        vars["add_generation_prompt"] = addGenerationPrompt;
        if (enableThinking is { } thinking) vars["enable_thinking"] = thinking;
        if (extraKwargs != null)
            foreach (var (k, v) in extraKwargs) vars[k] = JsonValues.FromNode(v);
        string rendered = template.Render(vars, Time);
        return continueFinalMessage ? CutAfterFinalMessage(rendered, messageValues) : rendered;
    }

    // transformers: find the final message's text (last text block if content is a list) in the
    // output and drop everything the template wrote after it, keeping the text's own trailing
    // whitespace only if the template kept it.
    private static string CutAfterFinalMessage(string rendered, object? messages)
    {
        if (messages is not List<object?> { Count: > 0 } list || list[^1] is not OrderedDictionary<string, object?> last)
            throw new TemplateException("continue_final_message is set but there is no final message");
        object? content = last.GetValueOrDefault("content");
        if (content is List<object?> blocks)
        {
            content = blocks.OfType<OrderedDictionary<string, object?>>().Reverse()
                .Select(b => b.GetValueOrDefault("text")).FirstOrDefault(t => t is string)
                ?? throw new TemplateException("continue_final_message is set but the final message has no text to continue");
        }
        if (content is not string final) throw new TemplateException("continue_final_message is set but the final message has no text content");
        string stripped = PyMethods.Strip(final, null, left: true, right: true);
        int at = rendered.LastIndexOf(stripped, StringComparison.Ordinal);
        if (at < 0) throw new TemplateException("continue_final_message is set but the final message does not appear in the rendered chat");
        string lstripped = PyMethods.Strip(final, null, left: true, right: false);
        bool keptSpacing = at + lstripped.Length <= rendered.Length && string.CompareOrdinal(rendered, at, final, 0, lstripped.Length) == 0 && lstripped == final;
        return rendered[..(at + (keptSpacing ? lstripped.Length : stripped.Length))];
    }

    /// <summary>Renders a <see cref="ChatTemplateRequest"/> (the shape of a chat_cases.jsonl line).</summary>
    public string Render(ChatTemplateRequest request, string? templateName = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Render(request.Messages, request.Tools, request.AddGenerationPrompt, request.EnableThinking, request.ExtraKwargs, templateName, request.ContinueFinalMessage);
    }

    /// <summary>Same as <see cref="Render(JsonNode, JsonNode?, bool, bool?, IReadOnlyDictionary{string, JsonNode?}?, string?, bool)"/> for <see cref="JsonElement"/> inputs.</summary>
    public string Render(JsonElement messages, JsonElement? tools = null, bool addGenerationPrompt = false, bool? enableThinking = null,
        IReadOnlyDictionary<string, JsonNode?>? extraKwargs = null, string? templateName = null, bool continueFinalMessage = false)
    {
        var toolsNode = tools is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } t ? JsonNode.Parse(t.GetRawText()) : null;
        return Render(JsonNode.Parse(messages.GetRawText())!, toolsNode, addGenerationPrompt, enableThinking, extraKwargs, templateName, continueFinalMessage);
    }

    private JinjaTemplate Select(string? name, bool hasTools)
    {
        if (name != null)
            return _templates.TryGetValue(name, out var named) ? named
                : throw new TemplateException($"no chat template named '{name}' (have: {string.Join(", ", _templates.Keys)})");
        if (hasTools && _templates.TryGetValue("tool_use", out var toolUse)) return toolUse;
        if (_templates.TryGetValue("default", out var dflt)) return dflt;
        if (_templates.Count == 1) return _templates.Values.First();
        throw new TemplateException($"no 'default' chat template; pass a template name (have: {string.Join(", ", _templates.Keys)})");
    }

    // OpenAI sends tool-call arguments as a JSON string; templates written for transformers expect a mapping.
    private static void ParseToolArguments(object? messages)
    {
        if (messages is not List<object?> list) return;
        foreach (var m in list)
        {
            if (m is not OrderedDictionary<string, object?> msg || !msg.TryGetValue("tool_calls", out var calls) || calls is not List<object?> callList) continue;
            foreach (var call in callList)
            {
                if (call is not OrderedDictionary<string, object?> c) continue;
                var holder = c.TryGetValue("function", out var f) && f is OrderedDictionary<string, object?> fn ? fn : c;
                if (holder.TryGetValue("arguments", out var args) && args is string text && text.TrimStart().StartsWith('{'))
                {
                    try
                    {
                        // JsonDocument, not JsonNode: a repeated key must not throw here; the last value wins, as in
                        // Python's json.loads, which is what transformers renders.
                        using var parsed = JsonDocument.Parse(text);
                        if (parsed.RootElement.ValueKind == JsonValueKind.Object) holder["arguments"] = JsonValues.FromElement(parsed.RootElement);
                    }
                    catch (JsonException)
                    {
                        // Not JSON: leave the string as the model wrote it.
                    }
                }
            }
        }
    }
}
