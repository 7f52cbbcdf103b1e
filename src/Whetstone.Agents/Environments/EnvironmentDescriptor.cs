namespace Whetstone.Agents.Environments;

/// <summary>A registered environment: what <c>whet envs</c> lists, and how to build its factory from option values.</summary>
/// <param name="Name">The name, e.g. <c>calc</c>.</param>
/// <param name="Description">One line about the task.</param>
/// <param name="Tools">Names of the tools the agent gets.</param>
/// <param name="Options">Its settings with their defaults.</param>
/// <param name="Build">Makes the factory from a value for every option (already checked).</param>
public sealed record EnvironmentDescriptor(
    string Name,
    string Description,
    IReadOnlyList<string> Tools,
    IReadOnlyList<EnvironmentOption> Options,
    Func<IReadOnlyDictionary<string, string>, IEnvironmentFactory> Build);
