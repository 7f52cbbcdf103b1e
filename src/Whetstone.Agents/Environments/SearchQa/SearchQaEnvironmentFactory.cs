using Whetstone.Agents.Policies;

namespace Whetstone.Agents.Environments.SearchQa;

/// <summary>Creates search-qa environments, lists their tasks, and provides the scripted expert.</summary>
/// <param name="options">Turn budget, results per search, reward kind.</param>
public sealed class SearchQaEnvironmentFactory(SearchQaOptions options) : IEnvironmentFactory
{
    /// <summary>The registered name.</summary>
    public const string EnvironmentName = "search-qa";

    /// <summary>A factory with default options.</summary>
    public SearchQaEnvironmentFactory() : this(new SearchQaOptions()) { }

    /// <summary>The options every environment of this factory uses.</summary>
    public SearchQaOptions Options { get; } = options;

    /// <inheritdoc />
    public string Name => EnvironmentName;

    /// <inheritdoc />
    public string Description => "Multi-hop questions over a generated encyclopedia; search (BM25) + answer; reward by exact match or F1.";

    /// <inheritdoc />
    public IReadOnlyList<EnvironmentTask> Tasks(DataSplit split, int count, int offset = 0) =>
        TaskSplits.Tasks(Name, split, count, offset);

    /// <inheritdoc />
    public IEnvironment Create() => new SearchQaEnvironment(Options);

    /// <inheritdoc />
    public IPolicy CreateExpert(IEnvironment environment) => environment is SearchQaEnvironment env
        ? new SearchQaExpertPolicy(env)
        : throw new ArgumentException($"The search-qa expert needs a search-qa environment, got {environment.GetType().Name}.", nameof(environment));
}
