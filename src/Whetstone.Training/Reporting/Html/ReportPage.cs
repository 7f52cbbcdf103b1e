using System.Globalization;
using System.Text;
using Whetstone.Training.Reporting.Charts;
using Whetstone.Training.Reporting.Data;

namespace Whetstone.Training.Reporting.Html;

/// <summary>
/// Assembles the self-contained HTML page: header, training curves, held-out evaluation (charts and tables), sample
/// transcripts, the config snapshot and the list of files read. No scripts, fonts or stylesheets are loaded, and a
/// Content-Security-Policy forbids them outright, so a string that escaped escaping still could not run.
/// </summary>
internal static class ReportPage
{
    /// <summary>The page and the chart slots it was built from.</summary>
    public static (string Html, List<ChartSlot> Slots) Build(RunData run, ReportOptions options)
    {
        var title = options.Title ?? run.Summary?.Title ?? $"Run {Path.GetFileName(Path.GetFullPath(run.Directory).TrimEnd(Path.DirectorySeparatorChar))}";
        var generated = (options.GeneratedAt ?? DateTimeOffset.UtcNow).ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var training = RunCharts.Training(run);
        var more = RunCharts.OtherMetrics(run);
        var eval = RunCharts.Evaluation(run);

        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>").Append(HtmlText.Encode(title)).Append("</title>\n<style>\n").Append(ReportStyles.Css).Append("</style>\n</head>\n<body>\n");
        sb.Append("<header><h1>").Append(HtmlText.Encode(title)).Append("</h1>\n<p class=\"meta\">run directory <code>")
          .Append(HtmlText.Encode(run.Directory)).Append("</code> · generated ").Append(generated).Append(" by <code>whet report</code></p>\n");
        sb.Append("<nav><a href=\"#training\">Training</a><a href=\"#evaluation\">Evaluation</a><a href=\"#samples\">Samples</a><a href=\"#config\">Config</a><a href=\"#files\">Files</a></nav></header>\n");

        sb.Append("<section id=\"training\">\n<h2>Training</h2>\n");
        if (options.Smoothing > 0 && training.Concat(more).Any(s => s.Chart is not null))
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"<p class=\"controls\"><label><input type=\"checkbox\" id=\"smooth\" checked> smoothed line (EMA, weight {options.Smoothing:0.###}) over the raw points</label></p>\n");
        }
        AppendCharts(sb, training, options);
        if (more.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<details class=\"more\" id=\"more-metrics\"><summary>Other logged metrics ({more.Count})</summary>\n");
            AppendCharts(sb, more, options);
            sb.Append("</details>\n");
        }
        sb.Append("</section>\n");

        sb.Append("<section id=\"evaluation\">\n<h2>Held-out evaluation</h2>\n");
        AppendCharts(sb, eval, options);
        AppendTables(sb, run);
        sb.Append("</section>\n");

        sb.Append("<section id=\"samples\">\n<h2>Sample trajectories</h2>\n");
        if (run.Samples is null) sb.Append("<p class=\"na\" id=\"samples-missing\">Sample trajectories: not available (no samples.jsonl or trajectories/*.jsonl).</p>\n");
        else if (run.Samples.Count == 0) sb.Append("<p class=\"na\">The sample files hold no trajectories.</p>\n");
        else
        {
            sb.Append("<p class=\"meta\">Click a line to open its transcript. Solved episodes first, then unsolved ones.</p>\n");
            for (var i = 0; i < run.Samples.Count; i++) sb.Append(TranscriptHtml.Render(run.Samples[i], i + 1));
        }
        sb.Append("</section>\n");

        sb.Append("<section id=\"config\">\n<h2>Config</h2>\n");
        if (run.Config is { } config)
        {
            sb.Append("<details><summary>").Append(HtmlText.Encode(config.File)).Append("</summary><pre class=\"config\">")
              .Append(HtmlText.Encode(config.Text)).Append("</pre></details>\n");
        }
        else sb.Append("<p class=\"na\">Config: not available (no config.json or recipe.yaml).</p>\n");
        sb.Append("</section>\n");

        sb.Append("<section id=\"files\">\n<h2>Files</h2>\n<table class=\"sources\">\n");
        foreach (var (file, status) in run.Sources)
            sb.Append("<tr><td><code>").Append(HtmlText.Encode(file)).Append("</code></td><td>").Append(HtmlText.Encode(status)).Append("</td></tr>\n");
        sb.Append("</table>\n</section>\n</body>\n</html>\n");
        return (sb.ToString(), [.. training, .. more, .. eval]);
    }

    private static void AppendCharts(StringBuilder sb, List<ChartSlot> slots, ReportOptions options)
    {
        var drawn = slots.Where(s => s.Chart is not null).ToList();
        if (drawn.Count > 0)
        {
            sb.Append("<div class=\"charts\">\n");
            foreach (var slot in drawn) sb.Append(SvgLineChart.Render(slot.Chart!, options.MaxPointsPerSeries, options.Smoothing));
            sb.Append("</div>\n");
        }
        foreach (var slot in slots.Where(s => s.Chart is null))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<p class=\"na\" id=\"{slot.Id}-missing\">")
              .Append(HtmlText.Encode(slot.Title)).Append(": not available (").Append(HtmlText.Encode(slot.MissingNote)).Append(").</p>\n");
        }
    }

    private static void AppendTables(StringBuilder sb, RunData run)
    {
        sb.Append("<h3>Summary</h3>\n");
        if (run.Summary is { Results.Count: > 0 } summary)
        {
            sb.Append(EvalTables.Summary(summary.Results));
            var perEnv = EvalTables.PerEnvironment(summary.Results);
            if (perEnv.Length > 0) sb.Append("<h3>Environment metrics</h3>\n").Append(perEnv);
            return;
        }
        sb.Append("<p class=\"na\" id=\"table-summary-missing\">Summary: not available (no summary.json).</p>\n");
        if (run.Evals is { Count: > 0 } evals)
        {
            // Without a summary, the last evaluation of each stage is the best stand-in.
            var last = evals.GroupBy(e => (e.Stage, e.Policy, e.Env)).Select(g => g.OrderBy(e => e.Step ?? double.MinValue).Last()).ToList();
            sb.Append("<p class=\"meta\">Latest held-out evaluation per stage, from the evaluation log:</p>\n");
            sb.Append(EvalTables.Summary(last, "table-latest-eval"));
            var perEnv = EvalTables.PerEnvironment(last);
            if (perEnv.Length > 0) sb.Append("<h3>Environment metrics</h3>\n").Append(perEnv);
        }
    }
}
