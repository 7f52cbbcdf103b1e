namespace Whetstone.Tensors.Kernels;

/// <summary>
/// How the row and element-wise kernels split large calls over <see cref="Threading.ComputePool"/>.
/// The split depends only on the problem size, never on the thread count, so any number of threads (1 included)
/// runs the same arithmetic per element and results are bit-identical; reductions across rows are summed per
/// chunk and the chunk partials added in chunk order.
/// </summary>
internal static class KernelPartition
{
    /// <summary>Calls touching less than this many bytes stay on the calling thread: waking a worker would cost more.</summary>
    public const long MinParallelBytes = 256 * 1024;

    /// <summary>Row chunks of a large call: enough to balance 2–8 cores, few enough that dweight partials stay small.</summary>
    public const int RowChunks = 16;

    /// <summary>Elements per chunk of an element-wise kernel; a multiple of 16 so chunk edges fall on vector boundaries.</summary>
    public const int ElementChunk = 32 * 1024;

    [ThreadStatic] private static float[]? _partials;

    /// <summary>Row chunks for a call over <paramref name="rows"/> rows touching <paramref name="bytes"/> bytes (1 = run inline).</summary>
    public static int RowChunkCount(int rows, long bytes) => bytes < MinParallelBytes || rows < 2 ? 1 : Math.Min(rows, RowChunks);

    /// <summary>Element chunks for an element-wise call over <paramref name="length"/> floats and <paramref name="arrays"/> arrays (1 = run inline).</summary>
    public static int ElementChunkCount(int length, int arrays)
        => (long)length * sizeof(float) * arrays < MinParallelBytes ? 1 : (length + ElementChunk - 1) / ElementChunk;

    /// <summary>First row of <paramref name="chunk"/> of <paramref name="chunks"/> over <paramref name="rows"/> rows (chunk = chunks gives rows).</summary>
    public static int RowStart(int chunk, int chunks, int rows) => (int)((long)rows * chunk / chunks);

    /// <summary>
    /// This thread's scratch for per-chunk partial sums, at least <paramref name="length"/> floats; grown once and
    /// reused, so steady state allocates nothing. Only the calling thread of a kernel asks for it.
    /// </summary>
    public static float[] Partials(int length)
    {
        var p = _partials;
        if (p is null || p.Length < length)
            _partials = p = new float[length];
        return p;
    }
}
