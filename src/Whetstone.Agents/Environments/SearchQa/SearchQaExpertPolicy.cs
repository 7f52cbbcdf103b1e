using System.Text.Json;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Environments.SearchQa;

/// <summary>
/// The scripted search-qa expert: on turn n it searches the n-th entity of the question's hidden hop path, and
/// after the last hop it answers with the gold answer. The searches make the reasoning path visible in SFT data.
/// </summary>
internal sealed class SearchQaExpertPolicy(SearchQaEnvironment environment) : IPolicy
{
    public Task<PolicyResponse> RespondAsync(IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var question = environment.Question;
        var turn = messages.Count(m => m.Role == ChatRole.Assistant);
        var id = $"call_{turn}";
        var call = turn < question.Hops.Count
            ? new ToolCall(id, "search", JsonSerializer.Serialize(new { query = question.Hops[turn] }))
            : new ToolCall(id, "answer", JsonSerializer.Serialize(new { text = question.Answer }));
        return Task.FromResult(new PolicyResponse { Action = AgentAction.Call(call), FinishReason = "tool_calls" });
    }
}
