using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Environments;

/// <summary>
/// A task world with tools and a verifiable reward. One instance runs one episode at a time.
/// A malformed action is answered with an observation that says what was wrong, never with an exception:
/// exceptions mean the infrastructure failed.
/// </summary>
public interface IEnvironment
{
    /// <summary>The environment's registered name, e.g. <c>calc</c>.</summary>
    string Name { get; }

    /// <summary>Starts the episode for <paramref name="task"/>; the same task always gives the same episode.</summary>
    ValueTask<EnvironmentReset> ResetAsync(EnvironmentTask task, CancellationToken cancellationToken = default);

    /// <summary>Applies one agent action.</summary>
    ValueTask<EnvironmentStep> StepAsync(AgentAction action, CancellationToken cancellationToken = default);
}
