using System.Text;

namespace Whetstone.Agents.Environments;

/// <summary>
/// Keeps train and test tasks apart twice over. Seeds come from separate ranges (train 0, 1, 2, …; test from
/// <see cref="TestSeedBase"/>), and the generated content itself is assigned to a split by a stable hash: a task
/// generator retries until its content hashes into the requested split. Two seeds of different splits can therefore
/// never produce the same task, even when the space of tasks is small.
/// </summary>
internal static class TaskSplits
{
    /// <summary>First seed of the test split.</summary>
    public const int TestSeedBase = 1_000_000_000;

    /// <summary>One task in <see cref="TestBuckets"/> of every <see cref="Buckets"/> content hashes is a test task.</summary>
    private const int Buckets = 10;
    private const int TestBuckets = 2;

    /// <summary>The tasks <c>offset … offset+count-1</c> of <paramref name="split"/>, with ids like <c>calc/test/17</c>.</summary>
    public static IReadOnlyList<EnvironmentTask> Tasks(string name, DataSplit split, int count, int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var tasks = new EnvironmentTask[count];
        var label = split == DataSplit.Train ? "train" : "test";
        var seedBase = split == DataSplit.Train ? 0 : TestSeedBase;
        for (var i = 0; i < count; i++)
            tasks[i] = new EnvironmentTask($"{name}/{label}/{offset + i}", split, seedBase + offset + i);
        return tasks;
    }

    /// <summary>The split that owns <paramref name="content"/> (a canonical description of a generated task).</summary>
    public static DataSplit SplitOf(string content)
    {
        // FNV-1a: stable across processes, unlike string.GetHashCode.
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(content))
            hash = (hash ^ b) * 1099511628211UL;
        return hash % Buckets < TestBuckets ? DataSplit.Test : DataSplit.Train;
    }

    /// <summary>
    /// Generates the task for (<paramref name="split"/>, <paramref name="seed"/>): draws candidates from seeded
    /// generators until one's content belongs to the split. Deterministic.
    /// </summary>
    public static T Generate<T>(string environment, DataSplit split, int seed, Func<TaskRandom, T> generate, Func<T, string> content)
    {
        var salt = TaskRandom.StableHash(environment);
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var candidate = generate(TaskRandom.From(salt, (long)split, seed, attempt));
            if (SplitOf(content(candidate)) == split)
                return candidate;
        }
        throw new InvalidOperationException(
            $"{environment}: no task of the {split} split found for seed {seed}; the task space is too small.");
    }
}
