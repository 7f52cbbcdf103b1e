using System.Text.Json;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;

namespace Whetstone.Server.Protocol;

/// <summary>
/// Reads and validates a chat-completions body. Every refusal is an <see cref="ApiError"/> (400) whose message and
/// <c>param</c> name the field, e.g. <c>messages[2].role</c>. Unknown fields are ignored, as vLLM does.
/// </summary>
internal static class ChatRequestReader
{
    /// <summary>Parses <paramref name="body"/>; <paramref name="maxTokensLimit"/> is the largest <c>max_tokens</c> allowed.</summary>
    public static ChatCompletionRequest Read(ReadOnlySpan<byte> body, int maxTokensLimit)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new ApiError(400, $"Malformed JSON in the request body: {e.Message}", null, "invalid_json");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ApiError(400, $"The request body must be a JSON object, not {Kind(root)}.", null, "invalid_json");

            int n = Integer(root, "n") ?? 1;
            if (n != 1) throw ApiError.Invalid("n", $"only n = 1 is supported (got {n}); send separate requests with different seeds.");
            if (Bool(root, "logprobs") == true) throw ApiError.Invalid("logprobs", "log-probabilities are not supported by this server.");
            foreach (var penalty in new[] { "presence_penalty", "frequency_penalty" })
                if (Number(root, penalty) is { } v && v != 0) throw ApiError.Invalid(penalty, "penalties are not supported (only 0).");

            var messages = Messages(root);
            var tools = Tools(root);
            if (root.TryGetProperty("tool_choice", out var choice) && choice.ValueKind != JsonValueKind.Null)
            {
                var value = choice.ValueKind == JsonValueKind.String ? choice.GetString() : null;
                if (value is "none") tools = [];
                else if (value is not "auto")
                    throw ApiError.Invalid("tool_choice", "only \"auto\" and \"none\" are supported.");
            }

            int? maxTokens = Integer(root, "max_completion_tokens") ?? Integer(root, "max_tokens");
            string maxName = root.TryGetProperty("max_completion_tokens", out var mct) && mct.ValueKind != JsonValueKind.Null ? "max_completion_tokens" : "max_tokens";
            if (maxTokens is < 1) throw ApiError.Invalid(maxName, $"must be at least 1 (got {maxTokens}).");
            if (maxTokens > maxTokensLimit) throw ApiError.Invalid(maxName, $"{maxTokens} is above this server's limit of {maxTokensLimit} tokens.");

            float temperature = (float)(Number(root, "temperature") ?? 1.0);
            if (!(temperature >= 0 && temperature <= 2)) throw ApiError.Invalid("temperature", $"must be in [0, 2] (got {temperature}).");
            float topP = (float)(Number(root, "top_p") ?? 1.0);
            if (!(topP > 0 && topP <= 1)) throw ApiError.Invalid("top_p", $"must be in (0, 1] (got {topP}).");
            int topK = Integer(root, "top_k") ?? 0;
            if (topK < 0) topK = 0; // vLLM reads -1 as off
            float minP = (float)(Number(root, "min_p") ?? 0.0);
            if (!(minP >= 0 && minP <= 1)) throw ApiError.Invalid("min_p", $"must be in [0, 1] (got {minP}).");

            bool stream = Bool(root, "stream") ?? false;
            bool includeUsage = false;
            if (root.TryGetProperty("stream_options", out var so) && so.ValueKind != JsonValueKind.Null)
            {
                if (so.ValueKind != JsonValueKind.Object) throw ApiError.Invalid("stream_options", $"must be an object, not {Kind(so)}.");
                includeUsage = Bool(so, "include_usage", "stream_options.include_usage") ?? false;
            }

            return new ChatCompletionRequest
            {
                Model = String(root, "model") ?? throw ApiError.Invalid("model", "is required (a string)."),
                Messages = messages,
                Tools = tools,
                Temperature = temperature,
                TopP = topP,
                TopK = topK,
                MinP = minP,
                MaxTokens = maxTokens,
                Stop = Stop(root),
                Seed = Long(root, "seed"),
                Stream = stream,
                StreamIncludeUsage = includeUsage,
            };
        }
    }

    private static List<ChatMessage> Messages(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var array) || array.ValueKind == JsonValueKind.Null)
            throw ApiError.Invalid("messages", "is required (an array of messages).");
        if (array.ValueKind != JsonValueKind.Array) throw ApiError.Invalid("messages", $"must be an array, not {Kind(array)}.");
        if (array.GetArrayLength() == 0) throw ApiError.Invalid("messages", "must hold at least one message.");
        var messages = new List<ChatMessage>();
        var callNames = new Dictionary<string, string>();
        int i = 0;
        foreach (var m in array.EnumerateArray())
        {
            string at = $"messages[{i++}]";
            if (m.ValueKind != JsonValueKind.Object) throw ApiError.Invalid(at, $"must be an object, not {Kind(m)}.");
            var roleName = String(m, "role", $"{at}.role") ?? throw ApiError.Invalid($"{at}.role", "is required.");
            var role = roleName switch
            {
                "system" or "developer" => ChatRole.System,
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                "tool" => ChatRole.Tool,
                _ => throw ApiError.Invalid($"{at}.role", $"unknown role \"{roleName}\" (expected system, developer, user, assistant or tool)."),
            };
            var content = Content(m, $"{at}.content");
            var calls = new List<ToolCall>();
            if (m.TryGetProperty("tool_calls", out var tc) && tc.ValueKind != JsonValueKind.Null)
            {
                if (role != ChatRole.Assistant) throw ApiError.Invalid($"{at}.tool_calls", "only assistant messages carry tool calls.");
                if (tc.ValueKind != JsonValueKind.Array) throw ApiError.Invalid($"{at}.tool_calls", $"must be an array, not {Kind(tc)}.");
                int j = 0;
                foreach (var call in tc.EnumerateArray())
                {
                    string cat = $"{at}.tool_calls[{j++}]";
                    if (call.ValueKind != JsonValueKind.Object) throw ApiError.Invalid(cat, $"must be an object, not {Kind(call)}.");
                    var id = String(call, "id", $"{cat}.id") ?? throw ApiError.Invalid($"{cat}.id", "is required.");
                    if (!call.TryGetProperty("function", out var fn) || fn.ValueKind != JsonValueKind.Object)
                        throw ApiError.Invalid($"{cat}.function", "is required (an object with name and arguments).");
                    var name = String(fn, "name", $"{cat}.function.name") ?? throw ApiError.Invalid($"{cat}.function.name", "is required.");
                    var arguments = String(fn, "arguments", $"{cat}.function.arguments") ?? "{}";
                    calls.Add(new ToolCall(id, name, arguments));
                    callNames[id] = name;
                }
            }
            string? toolCallId = null;
            if (role == ChatRole.Tool)
                toolCallId = String(m, "tool_call_id", $"{at}.tool_call_id") ?? throw ApiError.Invalid($"{at}.tool_call_id", "is required on tool messages.");
            else if (content is null && calls.Count == 0)
                throw ApiError.Invalid($"{at}.content", "is required (a string or an array of text parts).");
            var name2 = String(m, "name", $"{at}.name");
            if (role == ChatRole.Tool && name2 is null && toolCallId is not null) callNames.TryGetValue(toolCallId, out name2);
            messages.Add(new ChatMessage
            {
                Role = role,
                Content = content,
                ToolCalls = calls,
                ToolCallId = toolCallId,
                Name = name2,
                Reasoning = role == ChatRole.Assistant ? String(m, "reasoning_content", $"{at}.reasoning_content") : null,
            });
        }
        return messages;
    }

    /// <summary>A string, or an array of <c>{"type":"text","text":…}</c> parts joined; null when absent.</summary>
    private static string? Content(JsonElement m, string at)
    {
        if (!m.TryGetProperty("content", out var c) || c.ValueKind == JsonValueKind.Null) return null;
        if (c.ValueKind == JsonValueKind.String) return c.GetString();
        if (c.ValueKind != JsonValueKind.Array) throw ApiError.Invalid(at, $"must be a string or an array of text parts, not {Kind(c)}.");
        var text = new System.Text.StringBuilder();
        int k = 0;
        foreach (var part in c.EnumerateArray())
        {
            string pat = $"{at}[{k++}]";
            if (part.ValueKind != JsonValueKind.Object) throw ApiError.Invalid(pat, $"must be an object, not {Kind(part)}.");
            var type = String(part, "type", $"{pat}.type");
            if (type != "text") throw ApiError.Invalid($"{pat}.type", $"only \"text\" parts are supported (got \"{type}\").");
            text.Append(String(part, "text", $"{pat}.text") ?? throw ApiError.Invalid($"{pat}.text", "is required."));
        }
        return text.ToString();
    }

    private static List<ToolDefinition> Tools(JsonElement root)
    {
        var tools = new List<ToolDefinition>();
        if (!root.TryGetProperty("tools", out var array) || array.ValueKind == JsonValueKind.Null) return tools;
        if (array.ValueKind != JsonValueKind.Array) throw ApiError.Invalid("tools", $"must be an array, not {Kind(array)}.");
        int i = 0;
        foreach (var t in array.EnumerateArray())
        {
            string at = $"tools[{i++}]";
            if (t.ValueKind != JsonValueKind.Object) throw ApiError.Invalid(at, $"must be an object, not {Kind(t)}.");
            var type = String(t, "type", $"{at}.type") ?? "function";
            if (type != "function") throw ApiError.Invalid($"{at}.type", $"only \"function\" tools are supported (got \"{type}\").");
            if (!t.TryGetProperty("function", out var fn) || fn.ValueKind != JsonValueKind.Object)
                throw ApiError.Invalid($"{at}.function", "is required (an object with name, description, parameters).");
            var name = String(fn, "name", $"{at}.function.name") ?? throw ApiError.Invalid($"{at}.function.name", "is required.");
            var description = String(fn, "description", $"{at}.function.description") ?? "";
            JsonElement parameters;
            if (fn.TryGetProperty("parameters", out var p) && p.ValueKind != JsonValueKind.Null)
            {
                if (p.ValueKind != JsonValueKind.Object) throw ApiError.Invalid($"{at}.function.parameters", $"must be a JSON Schema object, not {Kind(p)}.");
                parameters = p.Clone();
            }
            else
            {
                using var empty = JsonDocument.Parse("{\"type\":\"object\",\"properties\":{}}");
                parameters = empty.RootElement.Clone();
            }
            tools.Add(new ToolDefinition(name, description, parameters));
        }
        return tools;
    }

    private static List<string> Stop(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out var s) || s.ValueKind == JsonValueKind.Null) return [];
        if (s.ValueKind == JsonValueKind.String) return [s.GetString()!];
        if (s.ValueKind != JsonValueKind.Array) throw ApiError.Invalid("stop", $"must be a string or an array of strings, not {Kind(s)}.");
        var list = new List<string>();
        foreach (var item in s.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw ApiError.Invalid($"stop[{list.Count}]", $"must be a string, not {Kind(item)}.");
            list.Add(item.GetString()!);
        }
        if (list.Count > 4) throw ApiError.Invalid("stop", $"at most 4 stop sequences (got {list.Count}).");
        return list;
    }

    private static string? String(JsonElement o, string name, string? param = null)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String) throw ApiError.Invalid(param ?? name, $"must be a string, not {Kind(v)}.");
        return v.GetString();
    }

    private static double? Number(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number) throw ApiError.Invalid(name, $"must be a number, not {Kind(v)}.");
        return v.GetDouble();
    }

    private static int? Integer(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int i)) throw ApiError.Invalid(name, $"must be an integer, not {Describe(v)}.");
        return i;
    }

    private static long? Long(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long i)) throw ApiError.Invalid(name, $"must be an integer, not {Describe(v)}.");
        return i;
    }

    private static bool? Bool(JsonElement o, string name, string? param = null)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw ApiError.Invalid(param ?? name, $"must be a boolean, not {Kind(v)}.");
        return v.GetBoolean();
    }

    private static string Describe(JsonElement v) => v.ValueKind == JsonValueKind.Number ? $"{v.GetRawText()}" : Kind(v);

    private static string Kind(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
