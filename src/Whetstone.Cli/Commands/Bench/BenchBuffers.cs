using System.Runtime.InteropServices;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>Native, 64-byte-aligned operand buffers for the GEMM timings (free with <see cref="NativeMemory.AlignedFree"/>).</summary>
internal static unsafe class BenchBuffers
{
    /// <summary><paramref name="count"/> floats uniform in [−halfRange, halfRange), seeded.</summary>
    public static float* AlignedRandom(long count, int seed, double halfRange)
    {
        var p = (float*)NativeMemory.AlignedAlloc((nuint)(count * sizeof(float)), 64);
        var rng = new Random(seed);
        for (long i = 0; i < count; i++)
            p[i] = (float)((rng.NextDouble() * 2 - 1) * halfRange);
        return p;
    }
}
