using Whetstone.Agents.Policies;

namespace Whetstone.Agents.Environments;

/// <summary>
/// A registered kind of environment: it enumerates its tasks, creates instances, and provides the scripted expert
/// that makes SFT data without any LLM.
/// </summary>
public interface IEnvironmentFactory
{
    /// <summary>The name <c>whet</c> uses, e.g. <c>calc</c>.</summary>
    string Name { get; }

    /// <summary>One line describing the environment for <c>whet envs</c>.</summary>
    string Description { get; }

    /// <summary>
    /// The first <paramref name="count"/> tasks of <paramref name="split"/> after skipping <paramref name="offset"/>.
    /// Deterministic, and train and test tasks never overlap.
    /// </summary>
    IReadOnlyList<EnvironmentTask> Tasks(DataSplit split, int count, int offset = 0);

    /// <summary>A fresh environment instance; each runs one episode at a time.</summary>
    IEnvironment Create();

    /// <summary>
    /// The scripted expert for <paramref name="environment"/> (an instance this factory created). The expert may read
    /// the instance's hidden state, so it must be used with that instance only.
    /// </summary>
    IPolicy CreateExpert(IEnvironment environment);
}
