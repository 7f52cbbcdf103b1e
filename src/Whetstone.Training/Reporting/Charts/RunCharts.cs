using Whetstone.Training.Reporting.Data;
using Whetstone.Training.Reporting.Html;

namespace Whetstone.Training.Reporting.Charts;

/// <summary>
/// Turns run data into the report's charts: training curves from <c>metrics.jsonl</c> (one series per stage) and
/// held-out success and reward over steps from the evaluations (one series per stage and environment).
/// </summary>
internal static class RunCharts
{
    /// <summary>Keys that have a chart of their own (or feed one), so they get no generic chart.</summary>
    private static readonly HashSet<string> Dedicated = ["loss", "reward_mean", "reward_std", "kl", "response_length"];

    /// <summary>Counters that only grow with the step (MetricsLog writes them); a chart of them says nothing.</summary>
    private static readonly HashSet<string> Counters = ["epoch", "tokens", "time_s"];

    /// <summary>Generic metrics in this order first, then the rest alphabetically.</summary>
    private static readonly string[] Preferred = ["lr", "grad_norm", "tokens_per_s", "success", "entropy", "clip_fraction"];

    /// <summary>The main training curves: loss, reward ± std, KL, response length.</summary>
    public static List<ChartSlot> Training(RunData run)
    {
        return
        [
            Metric(run, "chart-loss", "Training loss", "loss", "loss"),
            Metric(run, "chart-reward", "Reward (mean ± std over the batch)", "reward_mean", "reward", "reward_std"),
            Metric(run, "chart-kl", "KL divergence to the reference policy", "kl", "KL"),
            Metric(run, "chart-response-length", "Response length", "response_length", "tokens"),
        ];
    }

    /// <summary>One chart per other numeric key of the metrics log (lr, grad_norm, tokens_per_s, …).</summary>
    public static List<ChartSlot> OtherMetrics(RunData run)
    {
        if (run.Metrics is null) return [];
        var keys = run.Metrics.SelectMany(r => r.Values.Keys).Distinct().Where(k => !Dedicated.Contains(k) && !Counters.Contains(k)).ToList();
        var ordered = Preferred.Where(keys.Contains).Concat(keys.Except(Preferred).Order(StringComparer.Ordinal));
        return ordered.Select(k => Metric(run, "chart-metric-" + HtmlText.Slug(k), k, k, k)).ToList();
    }

    /// <summary>Held-out success rate over steps with 95% CI error bars, and mean reward when evaluations report it.</summary>
    public static List<ChartSlot> Evaluation(RunData run)
    {
        const string successId = "chart-eval-success", rewardId = "chart-eval-reward";
        const string successTitle = "Held-out success rate (95% CI)", rewardTitle = "Held-out mean reward";
        var points = run.Evals?.Where(e => e.Step is not null).ToList();
        if (run.Evals is null)
            return [new(successId, successTitle, null, "eval.jsonl and evals/*.json not available")];
        if (points is null || points.Count == 0)
            return [new(successId, successTitle, null, "no evaluation carries a \"step\"")];

        var groups = Group(points);
        var success = new LineChart
        {
            Id = successId,
            Title = successTitle,
            YLabel = "success rate",
            YMin = 0,
            YMax = 1,
            Markers = true,
            Series = groups.Select(g => new ChartSeries
            {
                Name = g.Name,
                X = g.Items.Select(e => e.Step!.Value).ToArray(),
                Y = g.Items.Select(e => e.SuccessRate).ToArray(),
                Low = g.Items.Select(e => e.CiLow ?? double.NaN).ToArray(),
                High = g.Items.Select(e => e.CiHigh ?? double.NaN).ToArray(),
                Spread = SpreadStyle.ErrorBars,
            }).ToList(),
        };
        var rewardGroups = groups.Select(g => (g.Name, Items: g.Items.Where(e => e.MeanReward is not null).ToList()))
            .Where(g => g.Items.Count > 0).ToList();
        var reward = rewardGroups.Count == 0 ? null : new LineChart
        {
            Id = rewardId,
            Title = rewardTitle,
            YLabel = "mean reward",
            Markers = true,
            Series = rewardGroups.Select(g => new ChartSeries
            {
                Name = g.Name,
                X = g.Items.Select(e => e.Step!.Value).ToArray(),
                Y = g.Items.Select(e => e.MeanReward!.Value).ToArray(),
            }).ToList(),
        };
        return
        [
            new(successId, successTitle, success, null),
            new(rewardId, rewardTitle, reward, reward is null ? "no evaluation reports \"mean_reward\"" : null),
        ];
    }

    private static List<(string Name, List<EvalResult> Items)> Group(List<EvalResult> points)
    {
        var manyEnvs = points.Select(e => e.Env).Distinct().Count() > 1;
        return points
            .GroupBy(e => (e.Stage ?? e.Policy ?? "eval") + (manyEnvs ? " · " + (e.Env ?? "?") : ""))
            .Select(g => (g.Key, g.OrderBy(e => e.Step).ToList()))
            .ToList();
    }

    /// <summary>A per-stage chart of <paramref name="key"/>, with a band of ± <paramref name="spreadKey"/> when given.</summary>
    private static ChartSlot Metric(RunData run, string id, string title, string key, string yLabel, string? spreadKey = null)
    {
        if (run.Metrics is null) return new(id, title, null, "metrics.jsonl not available");
        // Non-finite values (a diverged loss) cannot be drawn; they are counted and named under the chart instead.
        var nonFinite = run.Metrics.Where(r => r.Values.TryGetValue(key, out var v) && !double.IsFinite(v)).ToList();
        var stages = run.Metrics
            .Where(r => r.Values.TryGetValue(key, out var v) && double.IsFinite(v))
            .GroupBy(r => r.Stage ?? "train")
            .Select(g => (Stage: g.Key, Records: g.OrderBy(r => r.Step).ToList()))
            .ToList();
        if (stages.Count == 0)
            return new(id, title, null, nonFinite.Count > 0 ? $"every \"{key}\" value in metrics.jsonl is NaN or infinite" : $"no \"{key}\" field in metrics.jsonl");
        var note = nonFinite.Count == 0 ? null
            : $"{nonFinite.Count} NaN/infinite {key} value{(nonFinite.Count == 1 ? "" : "s")} left out, first at step {HtmlText.Number(nonFinite[0].Step)}";

        var series = stages.Select(s =>
        {
            var y = s.Records.Select(r => r.Values[key]).ToArray();
            double[]? low = null, high = null;
            if (spreadKey is not null && s.Records.Any(r => r.Values.ContainsKey(spreadKey)))
            {
                low = s.Records.Select(r => r.Values.TryGetValue(spreadKey, out var sd) ? r.Values[key] - sd : double.NaN).ToArray();
                high = s.Records.Select(r => r.Values.TryGetValue(spreadKey, out var sd) ? r.Values[key] + sd : double.NaN).ToArray();
            }
            return new ChartSeries { Name = s.Stage, X = s.Records.Select(r => r.Step).ToArray(), Y = y, Low = low, High = high };
        }).ToList();
        return new(id, title, new LineChart { Id = id, Title = title, YLabel = yLabel, Series = series, Smooth = true, Note = note }, null);
    }
}
