namespace Whetstone.Tensors.Threading;

/// <summary>
/// The process-wide number of threads compute kernels may use (the caller counts as one).
/// Defaults to <see cref="Environment.ProcessorCount"/>; benchmarks and tests set it, e.g. to compare 1 and 2 threads.
/// </summary>
public static class ComputeThreads
{
    private static int _count = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Threads used by <see cref="ComputePool"/> loops, at least 1. Setting 1 makes every loop serial.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When set below 1 or above 1024.</exception>
    public static int Count
    {
        get => Volatile.Read(ref _count);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1024);
            Volatile.Write(ref _count, value);
        }
    }
}
