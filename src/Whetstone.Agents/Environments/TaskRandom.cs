namespace Whetstone.Agents.Environments;

/// <summary>
/// A small seeded random generator (SplitMix64) for task generation and scripted policies. It is ours rather than
/// <see cref="Random"/> so that a seed gives the same tasks on every .NET version and platform.
/// </summary>
internal sealed class TaskRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A generator whose seed mixes several integers (e.g. split, seed, attempt).</summary>
    public static TaskRandom From(params long[] parts)
    {
        ulong state = 0x9E3779B97F4A7C15;
        foreach (var part in parts)
            state = Mix(state ^ (ulong)part);
        return new TaskRandom(state);
    }

    /// <summary>
    /// A seed part from text (FNV-1a over its UTF-16 code units): stable across processes and .NET versions, unlike
    /// <see cref="string.GetHashCode()"/>. For <see cref="From"/>, e.g. an environment name or a maze's layout.
    /// </summary>
    public static long StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
            hash = (hash ^ c) * 1099511628211UL;
        return (long)hash;
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15;
        return Mix(_state);
    }

    /// <summary>A uniform integer in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int min, int maxExclusive)
    {
        if (maxExclusive <= min)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), $"Empty range [{min}, {maxExclusive}).");
        return min + (int)(NextUInt64() % (ulong)(maxExclusive - min));
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniformly chosen element.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Next(0, items.Count)];

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
