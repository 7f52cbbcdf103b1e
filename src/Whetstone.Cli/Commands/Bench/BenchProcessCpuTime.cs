using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>
/// CPU time of the whole process, all threads (Linux CLOCK_PROCESS_CPUTIME_ID, nanosecond resolution), so a
/// benchmark on a shared machine can leave out the time its threads waited for a core. Elsewhere it falls back to
/// <see cref="Process.TotalProcessorTime"/>.
/// </summary>
internal static partial class BenchProcessCpuTime
{
    private const int ClockProcessCpuTimeId = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Seconds; public long Nanoseconds; }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);

    public static double Seconds()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ClockProcessCpuTimeId, out var t) == 0)
            return t.Seconds + t.Nanoseconds * 1e-9;
        return Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
    }
}
