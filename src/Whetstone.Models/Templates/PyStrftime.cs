using System.Globalization;
using System.Text;

namespace Whetstone.Models.Templates;

/// <summary>Python's <c>datetime.strftime</c> for the directives chat templates use (C locale).</summary>
internal static class PyStrftime
{
    public static string Format(DateTimeOffset t, string format)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c != '%' || i + 1 >= format.Length) { sb.Append(c); continue; }
            char d = format[++i];
            bool noPad = false;
            if (d == '-' && i + 1 < format.Length) { noPad = true; d = format[++i]; }
            string Num(int v, int width) => noPad ? v.ToString(inv) : v.ToString(new string('0', width), inv);
            sb.Append(d switch
            {
                'a' => t.ToString("ddd", inv),
                'A' => t.ToString("dddd", inv),
                'b' or 'h' => t.ToString("MMM", inv),
                'B' => t.ToString("MMMM", inv),
                'd' => Num(t.Day, 2),
                'e' => t.Day.ToString(inv).PadLeft(2),
                'm' => Num(t.Month, 2),
                'y' => Num(t.Year % 100, 2),
                'Y' => t.Year.ToString(inv),
                'H' => Num(t.Hour, 2),
                'I' => Num(t.Hour % 12 == 0 ? 12 : t.Hour % 12, 2),
                'M' => Num(t.Minute, 2),
                'S' => Num(t.Second, 2),
                'f' => (t.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", inv),
                'p' => t.Hour < 12 ? "AM" : "PM",
                'j' => Num(t.DayOfYear, 3),
                'w' => ((int)t.DayOfWeek).ToString(inv),
                'u' => (t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek).ToString(inv),
                'z' => (t.Offset < TimeSpan.Zero ? "-" : "+") + t.Offset.ToString("hhmm", inv),
                'Z' => t.Offset == TimeSpan.Zero ? "UTC" : "",
                'F' => t.ToString("yyyy-MM-dd", inv),
                'T' => t.ToString("HH:mm:ss", inv),
                'D' => t.ToString("MM/dd/yy", inv),
                '%' => "%",
                _ => throw new TemplateException($"strftime_now: unsupported directive '%{d}'"),
            });
        }
        return sb.ToString();
    }
}
