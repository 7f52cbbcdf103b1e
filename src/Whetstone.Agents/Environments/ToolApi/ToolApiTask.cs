using System.Text.Json.Nodes;

namespace Whetstone.Agents.Environments.ToolApi;

/// <summary>
/// A request to the assistant that needs particular tools with particular arguments, and the facts its final
/// answer must contain.
/// </summary>
/// <param name="Request">What the user asks.</param>
/// <param name="ExpectedCalls">The calls that satisfy the request, in order.</param>
/// <param name="AnswerKeys">Strings (from the tools' outputs) the final answer must contain.</param>
internal sealed record ToolApiTask(string Request, IReadOnlyList<ExpectedCall> ExpectedCalls, IReadOnlyList<string> AnswerKeys)
{
    /// <summary>A canonical description used to keep train and test tasks apart.</summary>
    public string Content => Request + "|" + string.Join("|", ExpectedCalls.Select(c => c.Name + c.Arguments.ToJsonString()));
}

/// <summary>One tool call a task expects.</summary>
/// <param name="Name">The tool.</param>
/// <param name="Arguments">The arguments that must be passed (optional ones may be added).</param>
internal sealed record ExpectedCall(string Name, JsonObject Arguments);
