namespace Whetstone.Cli.Commands.Bench;

/// <summary>One kernel's measurement: bytes it must read and write per call, and median times of a call.</summary>
/// <param name="Name">Kernel and pass, e.g. "rmsnorm.backward".</param>
/// <param name="Shape">The shape it ran on, in words.</param>
/// <param name="Bytes">Bytes read plus bytes written per call (each array counted once).</param>
/// <param name="MedianSeconds">Median wall time of one call.</param>
/// <param name="MedianCpuSeconds">Median CPU time of the calling thread for one call (equals wall time where unavailable).</param>
/// <param name="PairedCopyGigabytesPerSecond">Median wall-clock bandwidth of the copies interleaved with this kernel's calls.</param>
/// <param name="PairedCopyCpuGigabytesPerSecond">The same copies, by thread CPU time.</param>
public sealed record BenchOpsKernel(string Name, string Shape, long Bytes, double MedianSeconds, double MedianCpuSeconds,
    double PairedCopyGigabytesPerSecond, double PairedCopyCpuGigabytesPerSecond)
{
    /// <summary>Bytes / median wall time, in 10⁹ bytes per second.</summary>
    public double GigabytesPerSecond => Bytes / MedianSeconds / 1e9;

    /// <summary>Bytes / median thread CPU time, in 10⁹ bytes per second.</summary>
    public double CpuGigabytesPerSecond => Bytes / MedianCpuSeconds / 1e9;

    /// <summary>Wall-clock bandwidth as a fraction of the copies timed alongside it.</summary>
    public double FractionOfCopy => GigabytesPerSecond / PairedCopyGigabytesPerSecond;

    /// <summary>CPU-time bandwidth as a fraction of the copies timed alongside it.</summary>
    public double CpuFractionOfCopy => CpuGigabytesPerSecond / PairedCopyCpuGigabytesPerSecond;
}

/// <summary>A whole <c>whet bench ops</c> run.</summary>
/// <param name="Date">When it ran (UTC).</param>
/// <param name="Simd">Which vector widths the runtime accelerates here, e.g. "Vector512 Vector256 Vector128 FMA".</param>
/// <param name="ArrayMiB">Size of each array.</param>
/// <param name="Repetitions">Timed calls per kernel.</param>
/// <param name="CopyGigabytesPerSecond">Median wall-clock bandwidth of Span.CopyTo over one array (read + write), all copies of the run.</param>
/// <param name="CopyCpuGigabytesPerSecond">The same, by thread CPU time.</param>
/// <param name="Kernels">Each kernel's measurement.</param>
public sealed record BenchOpsResult(DateTime Date, string Simd, int ArrayMiB, int Repetitions,
    double CopyGigabytesPerSecond, double CopyCpuGigabytesPerSecond, IReadOnlyList<BenchOpsKernel> Kernels);
