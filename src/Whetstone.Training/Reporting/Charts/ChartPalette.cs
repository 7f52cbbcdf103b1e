namespace Whetstone.Training.Reporting.Charts;

/// <summary>Series colours of medium lightness, legible on both the light and the dark page background.</summary>
internal static class ChartPalette
{
    private static readonly string[] Colors =
        ["#3b82f6", "#f97316", "#10b981", "#e11d48", "#8b5cf6", "#0ea5e9", "#ca8a04", "#db2777", "#64748b", "#84cc16"];

    /// <summary>Colour of the <paramref name="index"/>-th series (cycles after ten).</summary>
    public static string Color(int index) => Colors[index % Colors.Length];
}
