using System.Text.Json;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Environments.Bandit;

/// <summary>
/// Shared shape of the scripted bandit policies: each turn, choose an arm from what the agent has observed so far
/// (pull counts and payoffs, read from the environment instance; never the hidden means) and pull it.
/// </summary>
public abstract class BanditPolicy(BanditEnvironment environment) : IPolicy
{
    /// <summary>The instance whose observed history the policy reads.</summary>
    protected BanditEnvironment Environment { get; } = environment;

    /// <summary>The arm to pull next, 0-based.</summary>
    protected abstract int ChooseArm();

    /// <summary>Called on the first turn of each episode, before <see cref="ChooseArm"/>.</summary>
    protected virtual void OnEpisodeStart() { }

    /// <inheritdoc />
    public Task<PolicyResponse> RespondAsync(IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var turn = messages.Count(m => m.Role == ChatRole.Assistant);
        if (turn == 0)
            OnEpisodeStart();
        var call = new ToolCall($"call_{turn}", "pull", JsonSerializer.Serialize(new { arm = ChooseArm() + 1 }));
        return Task.FromResult(new PolicyResponse { Action = AgentAction.Call(call), FinishReason = "tool_calls" });
    }
}
