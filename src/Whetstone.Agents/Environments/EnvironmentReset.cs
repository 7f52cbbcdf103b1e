using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Environments;

/// <summary>The start of an episode: the first observations (system prompt, task statement) and the tools.</summary>
/// <param name="Observations">What the agent sees first, in order.</param>
/// <param name="Tools">The tools the agent may call in this episode.</param>
public sealed record EnvironmentReset(IReadOnlyList<Observation> Observations, IReadOnlyList<ToolDefinition> Tools);
