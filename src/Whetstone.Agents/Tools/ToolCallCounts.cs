namespace Whetstone.Agents.Tools;

/// <summary>
/// How many tool calls a <see cref="ToolBox"/> has answered, and how many of them were invalid or failed.
/// Evaluation reports <see cref="InvalidRate"/> as the invalid-tool-call rate.
/// </summary>
/// <param name="Calls">Every call answered, malformed ones included.</param>
/// <param name="Invalid">
/// Calls the agent got wrong in form: malformed text, an unknown tool, arguments that are not JSON or violate the schema.
/// </param>
/// <param name="Failed">Well-formed calls the tool itself refused (its handler returned an error).</param>
public sealed record ToolCallCounts(int Calls, int Invalid, int Failed)
{
    /// <summary>Invalid calls per call; 0 when there were no calls.</summary>
    public double InvalidRate => Calls == 0 ? 0 : (double)Invalid / Calls;

    /// <summary>These counts as episode metrics: <c>tool_calls</c>, <c>invalid_tool_calls</c>, <c>failed_tool_calls</c>.</summary>
    public IEnumerable<KeyValuePair<string, double>> ToMetrics() =>
    [
        new("tool_calls", Calls),
        new("invalid_tool_calls", Invalid),
        new("failed_tool_calls", Failed),
    ];
}
