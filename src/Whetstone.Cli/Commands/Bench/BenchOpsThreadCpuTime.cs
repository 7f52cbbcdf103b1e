using System.Runtime.InteropServices;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>
/// CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID), so a benchmark on a shared machine can
/// leave out the time its thread waited for a core. Returns 0 elsewhere; callers then use wall time.
/// </summary>
internal static partial class BenchOpsThreadCpuTime
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Seconds; public long Nanoseconds; }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);

    public static double Seconds()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        return ClockGetTime(ClockThreadCpuTimeId, out var t) == 0 ? t.Seconds + t.Nanoseconds * 1e-9 : 0;
    }
}
