namespace Whetstone.Agents.Environments;

/// <summary>
/// A reproducible task: the environment regenerates the same episode from the same split and seed.
/// </summary>
/// <param name="Id">Stable id, e.g. <c>calc/test/17</c>.</param>
/// <param name="Split">The split it belongs to.</param>
/// <param name="Seed">Seed from which the task is generated.</param>
public sealed record EnvironmentTask(string Id, DataSplit Split, int Seed);
