using System.Text.Json;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Environments.Maze;

/// <summary>
/// The maze expert explores depth-first using only what the agent can see: its position, the goal's position and
/// the open squares next to it. Among unvisited open neighbours it prefers the one closest to the goal; at a dead
/// end it walks back. It reaches the goal in at most 2 × (open squares − 1) moves, within the budget, and its choices
/// are ones a model can learn from the transcript. Its memory resets when a conversation has no assistant turn yet.
/// </summary>
internal sealed class MazeExpertPolicy(MazeEnvironment environment) : IPolicy
{
    private readonly HashSet<GridPoint> _visited = [];
    private readonly Stack<GridPoint> _path = new();
    private TaskRandom _noise = new(0);

    public Task<PolicyResponse> RespondAsync(IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var turn = messages.Count(m => m.Role == ChatRole.Assistant);
        if (turn == 0)
        {
            _visited.Clear();
            _path.Clear();
            _noise = TaskRandom.From(TaskRandom.StableHash(environment.Layout.Content), 0x6E6F697365);
        }
        var here = environment.Position;
        if (_path.Count == 0 || _path.Peek() != here)
            _path.Push(here);
        _visited.Add(here);

        // Noise is drawn every turn (not only when used), so the random stream is the same whatever the percent. A
        // random move leaves the search state alone: the path stays a chain of neighbouring squares to walk back along.
        var roll = _noise.Next(0, 100);
        var randomDirection = (MazeDirection)_noise.Next(0, 4);
        if (roll < environment.Options.ExpertNoisePercent)
            return Task.FromResult(Move(turn, randomDirection) with { Weight = 0 });

        var layout = environment.Layout;
        var forward = Enum.GetValues<MazeDirection>()
            .Select(d => (Direction: d, Square: here.Step(d)))
            .Where(n => layout.IsOpen(n.Square) && !_visited.Contains(n.Square))
            .OrderBy(n => n.Square.DistanceTo(layout.Goal))
            .ToList();

        MazeDirection direction;
        if (forward.Count > 0)
        {
            direction = forward[0].Direction;
        }
        else
        {
            _path.Pop();
            if (_path.Count > 0)
            {
                var back = _path.Peek();
                direction = Enum.GetValues<MazeDirection>().First(d => here.Step(d) == back);
            }
            else
            {
                // Only after random moves: everything around the start was seen. Search again from here.
                _visited.Clear();
                _visited.Add(here);
                _path.Push(here);
                direction = Enum.GetValues<MazeDirection>()
                    .Where(d => layout.IsOpen(here.Step(d)))
                    .OrderBy(d => here.Step(d).DistanceTo(layout.Goal))
                    .First();
            }
        }

        return Task.FromResult(Move(turn, direction));
    }

    private static PolicyResponse Move(int turn, MazeDirection direction)
    {
        var call = new ToolCall($"call_{turn}", "move", JsonSerializer.Serialize(new { direction = direction.ToString().ToLowerInvariant() }));
        return new PolicyResponse { Action = AgentAction.Call(call), FinishReason = "tool_calls" };
    }
}
