using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Environments;

/// <summary>
/// A baseline for the tests: each turn it calls one random tool with arguments drawn from the tool's schema
/// (enum values, integers within minimum/maximum, small numbers, a fixed short string).
/// </summary>
internal sealed class RandomActionPolicy(int seed) : IPolicy
{
    private readonly Random _random = new(seed);

    public Task<PolicyResponse> RespondAsync(IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var tools = options?.Tools ?? [];
        var tool = tools[_random.Next(tools.Count)];
        var arguments = new JsonObject();
        if (tool.Parameters.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
                arguments[property.Name] = Sample(property.Value);
        }
        var call = new ToolCall($"call_{messages.Count}", tool.Name, arguments.ToJsonString());
        return Task.FromResult(new PolicyResponse { Action = AgentAction.Call(call) });
    }

    private JsonNode? Sample(JsonElement schema)
    {
        if (schema.TryGetProperty("enum", out var values))
        {
            var all = values.EnumerateArray().ToArray();
            return JsonNode.Parse(all[_random.Next(all.Length)].GetRawText());
        }
        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : "string";
        var min = schema.TryGetProperty("minimum", out var lo) ? lo.GetInt32() : 0;
        var max = schema.TryGetProperty("maximum", out var hi) ? hi.GetInt32() : 100;
        return type switch
        {
            "integer" or "number" => JsonValue.Create(_random.Next(min, max + 1)),
            "boolean" => JsonValue.Create(_random.Next(2) == 1),
            _ => JsonValue.Create($"{_random.Next(100)}+{_random.Next(100)}"),
        };
    }
}
