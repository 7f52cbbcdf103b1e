using Whetstone.Agents.Policies;

namespace Whetstone.Agents.Environments.ToolApi;

/// <summary>Creates tool-api environments, lists their tasks, and provides the scripted expert.</summary>
/// <param name="options">Turn budget.</param>
public sealed class ToolApiEnvironmentFactory(ToolApiOptions options) : IEnvironmentFactory
{
    /// <summary>The registered name.</summary>
    public const string EnvironmentName = "tool-api";

    /// <summary>A factory with default options.</summary>
    public ToolApiEnvironmentFactory() : this(new ToolApiOptions()) { }

    /// <summary>The options every environment of this factory uses.</summary>
    public ToolApiOptions Options { get; } = options;

    /// <inheritdoc />
    public string Name => EnvironmentName;

    /// <inheritdoc />
    public string Description => "Everyday requests over 24 schema-typed tools (weather, currency, calendar, travel…); pick the right tool and arguments, then reply.";

    /// <inheritdoc />
    public IReadOnlyList<EnvironmentTask> Tasks(DataSplit split, int count, int offset = 0) =>
        TaskSplits.Tasks(Name, split, count, offset);

    /// <inheritdoc />
    public IEnvironment Create() => new ToolApiEnvironment(Options);

    /// <inheritdoc />
    public IPolicy CreateExpert(IEnvironment environment) => environment is ToolApiEnvironment env
        ? new ToolApiExpertPolicy(env)
        : throw new ArgumentException($"The tool-api expert needs a tool-api environment, got {environment.GetType().Name}.", nameof(environment));
}
