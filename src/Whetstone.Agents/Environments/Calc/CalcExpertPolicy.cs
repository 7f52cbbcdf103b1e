using System.Text.Json;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Environments.Calc;

/// <summary>
/// The scripted calc expert: on its n-th turn it types the n-th step of the hidden worked solution into the
/// calculator, and after the last step it answers. Its n is the number of assistant turns in the conversation.
/// </summary>
internal sealed class CalcExpertPolicy(CalcEnvironment environment) : IPolicy
{
    public Task<PolicyResponse> RespondAsync(IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var problem = environment.Problem;
        var turn = messages.Count(m => m.Role == ChatRole.Assistant);
        var id = $"call_{turn}";
        var call = turn < problem.Steps.Count
            ? new ToolCall(id, "calculator", JsonSerializer.Serialize(new { expression = problem.Steps[turn].Expression }))
            : new ToolCall(id, "answer", JsonSerializer.Serialize(new { value = problem.Answer }));
        return Task.FromResult(new PolicyResponse { Action = AgentAction.Call(call), FinishReason = "tool_calls" });
    }
}
