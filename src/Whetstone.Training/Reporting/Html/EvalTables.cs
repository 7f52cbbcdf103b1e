using System.Globalization;
using System.Text;
using Whetstone.Training.Reporting.Data;

namespace Whetstone.Training.Reporting.Html;

/// <summary>
/// The evaluation tables: one row per policy of <c>summary.json</c> (success rate with its interval, drawn as a bar
/// too, mean reward, episodes, pass@k, …) and, per environment, the environment's own metrics.
/// </summary>
internal static class EvalTables
{
    /// <summary>The summary table (<c>id="table-summary"</c>); columns nobody reports are left out.</summary>
    public static string Summary(IReadOnlyList<EvalResult> rows, string id = "table-summary")
    {
        var ks = rows.SelectMany(r => r.PassAtK.Keys).Distinct().Order().ToList();
        var cols = new List<(string Head, Func<EvalResult, string> Cell, bool Numeric)>
        {
            ("policy", r => HtmlText.Encode(r.Policy ?? r.Stage ?? "–"), false),
        };
        if (rows.Any(r => r.Stage is not null && r.Stage != r.Policy)) cols.Add(("stage", r => HtmlText.Encode(r.Stage ?? ""), false));
        if (rows.Any(r => r.Step is not null)) cols.Add(("step", r => r.Step is { } s ? HtmlText.Number(s) : "", true));
        if (rows.Any(r => r.Env is not null)) cols.Add(("env", r => HtmlText.Encode(r.Env ?? ""), false));
        cols.Add(("success rate [95% CI]", SuccessCell, false));
        if (rows.Any(r => r.MeanReward is not null)) cols.Add(("mean reward", RewardCell, true));
        if (rows.Any(r => r.Episodes is not null)) cols.Add(("episodes", r => Opt(r.Episodes), true));
        foreach (var k in ks) cols.Add(($"pass@{k}", r => r.PassAtK.TryGetValue(k, out var v) ? Fixed(v) : "", true));
        if (rows.Any(r => r.MeanTurns is not null)) cols.Add(("mean turns", r => r.MeanTurns is { } t ? t.ToString("0.00", CultureInfo.InvariantCulture) : "", true));
        if (rows.Any(r => r.InvalidToolCallRate is not null)) cols.Add(("invalid tool calls", r => r.InvalidToolCallRate is { } v ? Fixed(v) : "", true));
        if (rows.Any(r => r.InfraErrors is > 0)) cols.Add(("infra errors", r => Opt(r.InfraErrors), true));

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<table class=\"results\" id=\"{id}\">\n<thead><tr>");
        foreach (var c in cols) sb.Append(c.Numeric ? "<th class=\"num\">" : "<th>").Append(HtmlText.Encode(c.Head)).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var r in rows)
        {
            sb.Append("<tr>");
            foreach (var c in cols) sb.Append(c.Numeric ? "<td class=\"num\">" : "<td>").Append(c.Cell(r)).Append("</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody></table>\n");
        return sb.ToString();
    }

    /// <summary>
    /// One table per environment with the environment metrics (<c>id="table-env-NAME"</c>), for environments whose
    /// results carry any; empty when none do.
    /// </summary>
    public static string PerEnvironment(IReadOnlyList<EvalResult> rows)
    {
        var sb = new StringBuilder();
        foreach (var env in rows.GroupBy(r => r.Env ?? "(unnamed)"))
        {
            var keys = env.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
            if (keys.Count == 0) continue;
            sb.Append(CultureInfo.InvariantCulture, $"<h4>{HtmlText.Encode(env.Key)}</h4>\n");
            sb.Append(CultureInfo.InvariantCulture, $"<table class=\"results\" id=\"table-env-{HtmlText.Slug(env.Key)}\">\n<thead><tr><th>policy</th>");
            foreach (var k in keys) sb.Append("<th class=\"num\">").Append(HtmlText.Encode(k)).Append("</th>");
            sb.Append("</tr></thead>\n<tbody>\n");
            foreach (var r in env)
            {
                sb.Append("<tr><td>").Append(HtmlText.Encode(r.Policy ?? r.Stage ?? "–")).Append("</td>");
                foreach (var k in keys) sb.Append("<td class=\"num\">").Append(r.Metrics.TryGetValue(k, out var v) ? HtmlText.Number(v) : "").Append("</td>");
                sb.Append("</tr>\n");
            }
            sb.Append("</tbody></table>\n");
        }
        return sb.ToString();
    }

    private static string SuccessCell(EvalResult r)
    {
        var text = Fixed(r.SuccessRate);
        if (r.CiLow is { } lo && r.CiHigh is { } hi) text += $" <span class=\"ci\">[{Fixed(lo)}, {Fixed(hi)}]</span>";
        // The bar is pure CSS (percent widths computed here), so it shows with scripts off.
        var bar = string.Create(CultureInfo.InvariantCulture,
            $"<span class=\"bar\"><span class=\"fill\" style=\"width:{Pct(r.SuccessRate)}%\"></span>");
        if (r.CiLow is { } l && r.CiHigh is { } h)
            bar += string.Create(CultureInfo.InvariantCulture, $"<span class=\"whisker\" style=\"left:{Pct(l)}%;width:{Pct(h) - Pct(l):0.#}%\"></span>");
        return $"{bar}</span> {text}";
    }

    private static string RewardCell(EvalResult r)
    {
        if (r.MeanReward is not { } m) return "";
        var text = Fixed(m);
        return r.RewardStd is { } sd ? $"{text} <span class=\"ci\">± {Fixed(sd)}</span>" : text;
    }

    private static double Pct(double v) => Math.Round(Math.Clamp(v, 0, 1) * 100, 1);

    private static string Fixed(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    private static string Opt(double? v) => v is { } x ? HtmlText.Number(x) : "";
}
