using System.Globalization;
using System.Text;

namespace Whetstone.Agents.Environments.ToolApi;

/// <summary>
/// The fixed, invented facts behind the tool-api tools: cities, currencies with rates, stock symbols, units.
/// Tool outputs are computed from these and from a stable hash of the arguments, so the same call always gets
/// the same answer and a task's expected answer can be computed ahead of time.
/// </summary>
internal static class ToolApiWorld
{
    public static readonly string[] Cities =
        ["Lisbon", "Oslo", "Nairobi", "Lima", "Osaka", "Perth", "Quebec", "Tunis", "Hanoi", "Zagreb", "Denver", "Cairo"];

    public static readonly string[] Countries =
        ["Portugal", "Norway", "Kenya", "Peru", "Japan", "Australia", "Canada", "Tunisia", "Vietnam", "Croatia"];

    /// <summary>Units of currency per US dollar.</summary>
    public static readonly IReadOnlyDictionary<string, double> PerDollar = new Dictionary<string, double>
    {
        ["USD"] = 1.0, ["EUR"] = 0.92, ["GBP"] = 0.79, ["JPY"] = 151.0, ["CAD"] = 1.36, ["AUD"] = 1.52, ["CHF"] = 0.88, ["NOK"] = 10.7,
    };

    public static readonly string[] Symbols = ["ACME", "GLOBX", "INIT", "UMBR", "STRK", "NOVA", "ZENT", "QUAD"];

    /// <summary>Length units in metres, mass units in kilograms; conversion only within one kind.</summary>
    public static readonly IReadOnlyDictionary<string, (string Kind, double Factor)> Units = new Dictionary<string, (string, double)>
    {
        ["km"] = ("length", 1000), ["m"] = ("length", 1), ["mile"] = ("length", 1609.344), ["ft"] = ("length", 0.3048),
        ["kg"] = ("mass", 1), ["lb"] = ("mass", 0.45359237), ["g"] = ("mass", 0.001), ["oz"] = ("mass", 0.028349523125),
    };

    public static readonly string[] Languages = ["french", "spanish", "german", "italian"];

    public static readonly string[] Topics = ["science", "sports", "business", "weather", "technology"];

    public static readonly string[] Dishes = ["pancakes", "lentil soup", "fried rice", "guacamole", "omelette"];

    public static readonly string[] Words = ["ephemeral", "gregarious", "lucid", "meticulous", "taciturn", "zenith"];

    /// <summary>A stable hash of the given parts (FNV-1a over UTF-8, case-insensitive).</summary>
    public static ulong Hash(params object[] parts)
    {
        var hash = 14695981039346656037UL;
        foreach (var part in parts)
        {
            var text = Convert.ToString(part, CultureInfo.InvariantCulture)!.Trim().ToLowerInvariant();
            foreach (var b in Encoding.UTF8.GetBytes(text + "\u001f"))
                hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }

    /// <summary>An integer in [min, max] chosen by the hash of <paramref name="parts"/>.</summary>
    public static int Pick(int min, int max, params object[] parts) => min + (int)(Hash(parts) % (ulong)(max - min + 1));

    public static string Money(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
