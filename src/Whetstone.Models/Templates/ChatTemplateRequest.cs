using System.Text.Json.Nodes;

namespace Whetstone.Models.Templates;

/// <summary>
/// One rendering request in the shape of a chat_cases.jsonl line: <c>messages</c>, optional
/// <c>tools</c>, <c>add_generation_prompt</c>, <c>enable_thinking</c> and
/// <c>chat_template_kwargs</c> (further template variables) and <c>continue_final_message</c>.
/// </summary>
/// <param name="Messages">The conversation (a JSON array of messages).</param>
/// <param name="Tools">Tool schemas (a JSON array), or null.</param>
/// <param name="AddGenerationPrompt">Append the assistant header.</param>
/// <param name="EnableThinking">The <c>enable_thinking</c> flag, or null to leave it undefined.</param>
/// <param name="ExtraKwargs">Further template variables, or null.</param>
/// <param name="ContinueFinalMessage">Cut the output after the last message so the model continues it.</param>
public sealed record ChatTemplateRequest(
    JsonArray Messages,
    JsonArray? Tools = null,
    bool AddGenerationPrompt = false,
    bool? EnableThinking = null,
    IReadOnlyDictionary<string, JsonNode?>? ExtraKwargs = null,
    bool ContinueFinalMessage = false)
{
    /// <summary>
    /// Reads a request from a JSON object; other fields (such as <c>rendered</c> or <c>ids</c>) are
    /// ignored. Throws <see cref="FormatException"/> naming the offending field.
    /// </summary>
    public static ChatTemplateRequest FromJson(JsonNode? node)
    {
        if (node is not JsonObject obj) throw new FormatException("expected a JSON object");
        if (obj["messages"] is not JsonArray messages) throw new FormatException("field 'messages': expected an array of messages");
        for (int i = 0; i < messages.Count; i++)
            if (messages[i] is not JsonObject m || m["role"] is not JsonValue role || !role.TryGetValue<string>(out _))
                throw new FormatException($"field 'messages[{i}]': expected an object with a string 'role'");
        var tools = obj["tools"] switch
        {
            null => null,
            JsonArray a => a,
            _ => throw new FormatException("field 'tools': expected an array or null"),
        };
        Dictionary<string, JsonNode?>? extra = null;
        if (obj["chat_template_kwargs"] is JsonObject kw)
        {
            extra = [];
            foreach (var (k, v) in kw) extra[k] = v?.DeepClone();
        }
        else if (obj["chat_template_kwargs"] is not null) throw new FormatException("field 'chat_template_kwargs': expected an object");
        return new ChatTemplateRequest(
            (JsonArray)messages.DeepClone(),
            (JsonArray?)tools?.DeepClone(),
            OptionalBool(obj, "add_generation_prompt") ?? false,
            OptionalBool(obj, "enable_thinking"),
            extra,
            OptionalBool(obj, "continue_final_message") ?? false);
    }

    private static bool? OptionalBool(JsonObject obj, string field) => obj[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        _ => throw new FormatException($"field '{field}': expected true, false or null"),
    };
}
