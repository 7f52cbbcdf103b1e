using System.Text.Json;

namespace Whetstone.Agents.Tools;

/// <summary>
/// Runs one tool. <paramref name="arguments"/> is the call's argument object, already checked against the tool's
/// schema by <see cref="ToolBox"/>, so required arguments are present and have the declared types.
/// </summary>
public delegate ToolResult ToolHandler(JsonElement arguments);
