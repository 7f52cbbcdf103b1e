using Whetstone.Agents.Environments;
using Whetstone.Agents.Policies;

namespace Whetstone.Agents.Rollouts;

/// <summary>
/// Where a rollout gets the policy for each episode: one shared, thread-safe policy (a remote model), a fresh policy
/// per episode (a seeded baseline), or the environment's scripted expert, which reads the hidden state of the one
/// instance it was made for.
/// </summary>
public sealed class PolicySource
{
    private readonly Func<IEnvironment, RolloutEpisode, IPolicy> _create;

    private PolicySource(string name, Func<IEnvironment, RolloutEpisode, IPolicy> create)
    {
        Name = name;
        _create = create;
    }

    /// <summary>A short name for reports, e.g. <c>expert</c> or <c>openai:qwen3-8b</c>.</summary>
    public string Name { get; }

    /// <summary>The policy for <paramref name="episode"/>, run against <paramref name="environment"/>.</summary>
    public IPolicy Create(IEnvironment environment, RolloutEpisode episode) => _create(environment, episode);

    /// <summary>One policy for every episode. It is called concurrently, so it must be thread-safe.</summary>
    public static PolicySource Shared(IPolicy policy, string name = "shared")
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new PolicySource(name, (_, _) => policy);
    }

    /// <summary>A new policy per episode, built from the episode (its seed, task and sample index) and its environment.</summary>
    public static PolicySource PerEpisode(Func<IEnvironment, RolloutEpisode, IPolicy> create, string name = "per-episode")
    {
        ArgumentNullException.ThrowIfNull(create);
        return new PolicySource(name, create);
    }

    /// <summary>The scripted expert of <paramref name="factory"/>, one per environment instance.</summary>
    public static PolicySource Expert(IEnvironmentFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new PolicySource("expert", (env, _) => factory.CreateExpert(env));
    }

    /// <summary>The seeded <see cref="RandomPolicy"/> baseline, one per episode seeded from the episode's seed.</summary>
    public static PolicySource Random() => new("random", (_, episode) => new RandomPolicy(episode.Seed));
}
