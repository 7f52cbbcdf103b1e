using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Environments.ToolApi;

/// <summary>
/// The scripted tool-api expert: it makes the task's expected calls one per turn, then replies with the tools'
/// outputs it read from the conversation.
/// </summary>
internal sealed class ToolApiExpertPolicy(ToolApiEnvironment environment) : IPolicy
{
    public Task<PolicyResponse> RespondAsync(IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var task = environment.Task;
        var turn = messages.Count(m => m.Role == ChatRole.Assistant);
        if (turn < task.ExpectedCalls.Count)
        {
            var expected = task.ExpectedCalls[turn];
            var call = new ToolCall($"call_{turn}", expected.Name, expected.Arguments.ToJsonString());
            return Task.FromResult(new PolicyResponse { Action = AgentAction.Call(call), FinishReason = "tool_calls" });
        }
        var results = messages.Where(m => m.Role == ChatRole.Tool).Select(m => m.Content);
        var reply = "Done. " + string.Join(" ", results.Select(r => r!.TrimEnd('.') + "."));
        return Task.FromResult(new PolicyResponse { Action = AgentAction.Say(reply), FinishReason = "stop" });
    }
}
