using System.Text.Json;

namespace Whetstone.Agents.Tools;

/// <summary>
/// A tool the agent may call: its name, a description for the model, and its parameters as a JSON Schema
/// object (the OpenAI <c>function.parameters</c> field).
/// </summary>
/// <param name="Name">The tool's name, e.g. <c>calculator</c>.</param>
/// <param name="Description">What the tool does, written for the model.</param>
/// <param name="Parameters">JSON Schema of the arguments object, e.g. <c>{"type":"object","properties":{…},"required":[…]}</c>.</param>
public sealed record ToolDefinition(string Name, string Description, JsonElement Parameters);
