using System.Text.Json;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Environments.TicTacToe;

/// <summary>
/// The tictactoe expert: perfect minimax play for X, taking the lowest-numbered of the best cells (quickest win,
/// else a draw, else the slowest loss). It never loses. It reads the board from the instance.
/// </summary>
internal sealed class TicTacToeExpertPolicy(TicTacToeEnvironment environment) : IPolicy
{
    public Task<PolicyResponse> RespondAsync(IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var cell = TicTacToeSolver.BestMoves(environment.Board, 'X')[0] + 1;
        var turn = messages.Count(m => m.Role == ChatRole.Assistant);
        var call = new ToolCall($"call_{turn}", "move", JsonSerializer.Serialize(new { cell }));
        return Task.FromResult(new PolicyResponse { Action = AgentAction.Call(call), FinishReason = "tool_calls" });
    }
}
