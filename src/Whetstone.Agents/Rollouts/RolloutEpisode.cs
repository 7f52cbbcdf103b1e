using Whetstone.Agents.Environments;

namespace Whetstone.Agents.Rollouts;

/// <summary>One planned episode of a rollout: a task, which of its G samples this is, and the seed derived for it.</summary>
/// <param name="Task">The task to run.</param>
/// <param name="SampleIndex">0 … G−1: which sample of <paramref name="Task"/> this is.</param>
/// <param name="Seed">The episode's seed, derived from the rollout seed, the task and the sample index.</param>
public sealed record RolloutEpisode(EnvironmentTask Task, int SampleIndex, int Seed)
{
    /// <summary>The trajectory id: <c>{task id}#{sample index}</c>, unique within a rollout.</summary>
    public string Id => $"{Task.Id}#{SampleIndex}";

    /// <summary>
    /// The episode for sample <paramref name="sampleIndex"/> of <paramref name="task"/> under rollout seed
    /// <paramref name="rolloutSeed"/>. The seed is a stable hash (FNV-1a of the task id, then SplitMix64 mixing), so it
    /// is the same in every process, unlike <see cref="string.GetHashCode()"/>.
    /// </summary>
    public static RolloutEpisode For(EnvironmentTask task, int sampleIndex, int rolloutSeed)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in task.Id)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        h = Mix(h ^ (uint)task.Seed);
        h = Mix(h ^ ((ulong)(uint)sampleIndex << 32));
        h = Mix(h ^ (uint)rolloutSeed);
        return new RolloutEpisode(task, sampleIndex, (int)(h & 0x7FFF_FFFF));
    }

    /// <summary>
    /// The sampling seed of policy call <paramref name="turn"/> (0-based) of this episode: <see cref="Seed"/> for the
    /// first call, a fresh mix of it and the turn for each later one. Why not <see cref="Seed"/> every turn: a seeded
    /// sampler then draws the same random numbers at every turn, so whenever two turns' token distributions are alike
    /// it picks the same token again — a bandit agent sampled at temperature 1 pulled one arm all episode, and every
    /// multi-turn rollout explored far less than its temperature says.
    /// </summary>
    public int TurnSeed(int turn)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(turn);
        if (turn == 0) return Seed;
        return (int)(Mix((ulong)(uint)Seed ^ ((ulong)(uint)turn << 32)) & 0x7FFF_FFFF);
    }

    // SplitMix64 finalizer: spreads nearby inputs (sample 0, 1, 2 …) over unrelated seeds.
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
