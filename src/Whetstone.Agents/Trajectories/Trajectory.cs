using System.Text.Json.Nodes;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;

namespace Whetstone.Agents.Trajectories;

/// <summary>
/// A recorded episode: ordered steps (actions and observations), the tools that were available, the rewards and
/// free metadata. Designed so that ADP, OpenAI messages+tools JSONL and ShareGPT map in and out without loss.
/// </summary>
public sealed record Trajectory
{
    /// <summary>Unique id of this episode.</summary>
    public required string Id { get; init; }

    /// <summary>Id of the task (the same task sampled G times shares it).</summary>
    public string? TaskId { get; init; }

    /// <summary>Name of the environment that produced it, if any.</summary>
    public string? Environment { get; init; }

    /// <summary>Tools available to the agent.</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    /// <summary>Actions and observations in order.</summary>
    public IReadOnlyList<TrajectoryStep> Steps { get; init; } = [];

    /// <summary>The episode's final reward, when known.</summary>
    public double? Reward { get; init; }

    /// <summary>Whether the task was solved, when the environment can tell.</summary>
    public bool? Success { get; init; }

    /// <summary>How the episode ended.</summary>
    public EpisodeStatus Status { get; init; } = EpisodeStatus.Completed;

    /// <summary>For <see cref="EpisodeStatus.InfrastructureError"/> and truncation: what happened.</summary>
    public string? StatusDetail { get; init; }

    /// <summary>Environment-specific metrics (e.g. <c>regret</c> for the bandit).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Free metadata that converters carry through unchanged.</summary>
    public JsonObject Metadata { get; init; } = new();

    /// <summary>The conversation as OpenAI-shaped messages, one per observation and one per action.</summary>
    public IEnumerable<ChatMessage> ToMessages()
    {
        foreach (var step in Steps)
        {
            yield return step switch
            {
                ActionStep a => a.Action.ToMessage(),
                ObservationStep o => o.Observation.ToMessage(),
                _ => throw new InvalidOperationException($"Unknown trajectory step type {step.GetType().Name}."),
            };
        }
    }
}
