using Whetstone.Agents.Policies;

namespace Whetstone.Agents.Environments.Calc;

/// <summary>Creates calc environments, lists their tasks, and provides the scripted expert.</summary>
/// <param name="options">Difficulty and turn budget.</param>
public sealed class CalcEnvironmentFactory(CalcOptions options) : IEnvironmentFactory
{
    /// <summary>The registered name.</summary>
    public const string EnvironmentName = "calc";

    /// <summary>A factory with default options.</summary>
    public CalcEnvironmentFactory() : this(new CalcOptions()) { }

    /// <summary>The options every environment of this factory uses.</summary>
    public CalcOptions Options { get; } = options;

    /// <inheritdoc />
    public string Name => EnvironmentName;

    /// <inheritdoc />
    public string Description => "Arithmetic word problems (2-4 integer operations); calculator + answer; reward 1 for the exact answer.";

    /// <inheritdoc />
    public IReadOnlyList<EnvironmentTask> Tasks(DataSplit split, int count, int offset = 0) =>
        TaskSplits.Tasks(Name, split, count, offset);

    /// <inheritdoc />
    public IEnvironment Create() => new CalcEnvironment(Options);

    /// <inheritdoc />
    public IPolicy CreateExpert(IEnvironment environment) => environment is CalcEnvironment calc
        ? new CalcExpertPolicy(calc)
        : throw new ArgumentException($"The calc expert needs a calc environment, got {environment.GetType().Name}.", nameof(environment));
}
