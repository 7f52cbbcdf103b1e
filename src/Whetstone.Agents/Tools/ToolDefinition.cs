using System.Text.Json;

namespace Whetstone.Agents.Tools;

/// <summary>
/// A tool the agent may call: its name, a description for the model, and its parameters as a JSON Schema
/// object (the OpenAI <c>function.parameters</c> field).
/// </summary>
/// <param name="Name">The tool's name, e.g. <c>calculator</c>.</param>
/// <param name="Description">What the tool does, written for the model.</param>
/// <param name="Parameters">JSON Schema of the arguments object, e.g. <c>{"type":"object","properties":{…},"required":[…]}</c>.</param>
public sealed record ToolDefinition(string Name, string Description, JsonElement Parameters)
{
    /// <summary>A tool whose parameter schema is given as JSON text.</summary>
    /// <exception cref="ArgumentException"><paramref name="parametersJson"/> is not a JSON object.</exception>
    public static ToolDefinition Create(string name, string description, string parametersJson)
    {
        using var document = JsonDocument.Parse(parametersJson);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new ArgumentException($"Parameters of tool \"{name}\" must be a JSON Schema object.", nameof(parametersJson));
        return new ToolDefinition(name, description, document.RootElement.Clone());
    }
}
