using System.Runtime.InteropServices;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>
/// CPU time from Linux <c>clock_gettime</c> (nanosecond resolution), so a benchmark on a shared machine can leave out
/// the time its threads waited for a core: <see cref="Thread"/> for the calling thread, <see cref="Process"/> for all
/// threads of the process.
/// </summary>
internal static partial class BenchCpuTime
{
    private const int ClockProcessCpuTimeId = 2;
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Seconds; public long Nanoseconds; }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);

    /// <summary>CPU seconds of the calling thread; 0 where the clock is unavailable (callers then use wall time).</summary>
    public static double Thread() => Read(ClockThreadCpuTimeId) ?? 0;

    /// <summary>CPU seconds of the whole process; falls back to <see cref="System.Diagnostics.Process.TotalProcessorTime"/>.</summary>
    public static double Process() =>
        Read(ClockProcessCpuTimeId) ?? System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static double? Read(int clock) =>
        OperatingSystem.IsLinux() && ClockGetTime(clock, out var t) == 0 ? t.Seconds + t.Nanoseconds * 1e-9 : null;
}
