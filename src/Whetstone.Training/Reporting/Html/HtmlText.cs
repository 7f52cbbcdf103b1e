using System.Globalization;
using System.Text;

namespace Whetstone.Training.Reporting.Html;

/// <summary>
/// Escaping for text placed in HTML (and inline SVG) element content and double- or single-quoted attribute values.
/// Everything that comes from a run directory, model output above all, goes through here.
/// </summary>
internal static class HtmlText
{
    /// <summary>
    /// <paramref name="text"/> with <c>&amp; &lt; &gt; " '</c> replaced by entities, and control characters other than
    /// tab and newline dropped (they are not allowed in HTML and some break rendering).
    /// </summary>
    public static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '\t' or '\n': sb.Append(c); break;
                case '\r': break;
                default:
                    if (char.IsControl(c)) break;
                    sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>A number for display: integers without decimals, others with up to <paramref name="digits"/> significant decimals.</summary>
    public static string Number(double value, int digits = 3)
    {
        if (double.IsNaN(value)) return "–";
        if (Math.Abs(value - Math.Round(value)) < 1e-9 && Math.Abs(value) < 1e15)
            return Math.Round(value).ToString("N0", CultureInfo.InvariantCulture);
        return value.ToString("0." + new string('#', digits), CultureInfo.InvariantCulture);
    }

    /// <summary>A fixed-point coordinate for SVG (one decimal, invariant culture).</summary>
    public static string Coord(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>An id fragment made of [a-z0-9-] only, so data-derived names can never break out of an attribute.</summary>
    public static string Slug(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        var slug = sb.ToString().Trim('-');
        return slug.Length == 0 ? "x" : slug;
    }
}
