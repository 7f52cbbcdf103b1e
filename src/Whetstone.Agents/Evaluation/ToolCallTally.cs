using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Evaluation;

/// <summary>
/// Counts an episode's tool calls and how many were invalid.
/// <list type="bullet">
/// <item><b>Attempted</b>: every well-formed tool call plus every malformed one (<see cref="AgentAction.MalformedToolCalls"/>).</item>
/// <item><b>Invalid</b>: every malformed call, plus every well-formed call that the environment answered with a tool
/// observation flagged <see cref="Observation.IsError"/> (unknown tool, arguments that fail the schema, …), matched
/// by <see cref="Observation.ToolCallId"/> against the calls of the turn just before it and counted once per call.</item>
/// </list>
/// Plain-text turns are not tool calls and count in neither; error feedback that answers no call id is not counted.
/// </summary>
/// <param name="Attempted">Tool calls the agent attempted.</param>
/// <param name="Invalid">Of those, the malformed or rejected ones.</param>
public readonly record struct ToolCallTally(int Attempted, int Invalid)
{
    /// <summary>Counts the tool calls of <paramref name="trajectory"/>.</summary>
    public static ToolCallTally Of(Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        int attempted = 0, invalid = 0;
        var pending = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in trajectory.Steps)
        {
            switch (step)
            {
                case ActionStep { Action: var action }:
                    pending.Clear();
                    attempted += action.ToolCalls.Count + action.MalformedToolCalls.Count;
                    invalid += action.MalformedToolCalls.Count;
                    foreach (var call in action.ToolCalls)
                        pending.Add(call.Id);
                    break;
                case ObservationStep { Observation: { IsError: true, ToolCallId: { } id } }:
                    if (pending.Remove(id))
                        invalid++;
                    break;
            }
        }
        return new ToolCallTally(attempted, invalid);
    }
}
