using Whetstone.Agents.Policies;

namespace Whetstone.Agents.Environments.Bandit;

/// <summary>Creates bandit environments, lists their tasks, and provides the Thompson-sampling expert.</summary>
/// <param name="options">Arms, pulls and turn slack.</param>
public sealed class BanditEnvironmentFactory(BanditOptions options) : IEnvironmentFactory
{
    /// <summary>The registered name.</summary>
    public const string EnvironmentName = "bandit";

    /// <summary>A factory with default options (5 arms, 30 pulls).</summary>
    public BanditEnvironmentFactory() : this(new BanditOptions()) { }

    /// <summary>The options every environment of this factory uses.</summary>
    public BanditOptions Options { get; } = options;

    /// <inheritdoc />
    public string Name => EnvironmentName;

    /// <inheritdoc />
    public string Description => $"{Options.Arms}-armed Bernoulli bandit over {Options.Pulls} pulls; reward = total payoff.";

    /// <inheritdoc />
    public IReadOnlyList<EnvironmentTask> Tasks(DataSplit split, int count, int offset = 0) =>
        TaskSplits.Tasks(Name, split, count, offset);

    /// <inheritdoc />
    public IEnvironment Create() => new BanditEnvironment(Options);

    /// <summary>The Thompson-sampling expert; its own seed is fixed, so expert episodes are reproducible.</summary>
    public IPolicy CreateExpert(IEnvironment environment) => new ThompsonSamplingPolicy(Cast(environment), seed: 0);

    /// <summary>The UCB1 baseline the expert is measured against.</summary>
    public static IPolicy CreateUcb1(IEnvironment environment) => new Ucb1Policy(Cast(environment));

    private static BanditEnvironment Cast(IEnvironment environment) => environment as BanditEnvironment
        ?? throw new ArgumentException($"Bandit policies need a bandit environment, got {environment.GetType().Name}.", nameof(environment));
}
