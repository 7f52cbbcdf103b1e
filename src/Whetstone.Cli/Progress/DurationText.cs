using System.Globalization;

namespace Whetstone.Cli.Progress;

/// <summary>Short durations for progress lines: <c>45s</c>, <c>12m30s</c>, <c>3h05m</c>.</summary>
internal static class DurationText
{
    public static string Format(TimeSpan t)
    {
        var c = CultureInfo.InvariantCulture;
        if (t.TotalSeconds < 60) return string.Create(c, $"{(int)Math.Round(t.TotalSeconds)}s");
        if (t.TotalMinutes < 60) return string.Create(c, $"{(int)t.TotalMinutes}m{t.Seconds:D2}s");
        return string.Create(c, $"{(int)t.TotalHours}h{t.Minutes:D2}m");
    }
}
