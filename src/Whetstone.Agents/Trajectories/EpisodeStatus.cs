namespace Whetstone.Agents.Trajectories;

/// <summary>How an episode ended.</summary>
public enum EpisodeStatus
{
    /// <summary>The environment said the episode was done.</summary>
    Completed,
    /// <summary>A limit (turns, tokens, time) cut the episode short; it is scored as it stands.</summary>
    Truncated,
    /// <summary>
    /// The infrastructure failed (policy timeout, HTTP error, crash). Such episodes are left out of rewards and
    /// statistics: they say nothing about the policy.
    /// </summary>
    InfrastructureError,
}
