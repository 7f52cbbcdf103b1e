using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Whetstone.Agents.Evaluation;

/// <summary>
/// The result of evaluating a set of trajectories. Every statistic is over the <em>scored</em> episodes (Completed or
/// Truncated); episodes with an infrastructure error are only counted in <see cref="InfrastructureErrors"/>.
/// Build one with <see cref="TrajectoryEvaluator.Evaluate"/>; print it with <see cref="ToTable"/> or <see cref="ToJson"/>.
/// </summary>
public sealed record EvaluationReport
{
    /// <summary>Environment name(s) the trajectories came from.</summary>
    public string Environment { get; init; } = "";

    /// <summary>The policy evaluated, if known (e.g. <c>expert</c>).</summary>
    public string? Policy { get; init; }

    /// <summary>The split evaluated, if known (e.g. <c>test</c>).</summary>
    public string? Split { get; init; }

    /// <summary>Scored episodes: Completed plus Truncated. Every rate below is over these.</summary>
    public int Episodes { get; init; }

    /// <summary>Distinct tasks among the scored episodes.</summary>
    public int Tasks { get; init; }

    /// <summary>Episodes left out because the infrastructure failed (policy or environment threw or timed out).</summary>
    public int InfrastructureErrors { get; init; }

    /// <summary>Scored episodes cut short by a limit (turns, tokens); they count as unsolved.</summary>
    public int Truncated { get; init; }

    /// <summary>Scored episodes whose <c>Success</c> is true.</summary>
    public int Successes { get; init; }

    /// <summary>Successes / Episodes (0 when there are no episodes).</summary>
    public double SuccessRate { get; init; }

    /// <summary>95% Wilson score interval of the success rate.</summary>
    public ConfidenceInterval SuccessInterval { get; init; }

    /// <summary>Episode reward (sum of step rewards): mean, sample std and 95% normal-approximation interval.</summary>
    public MeanEstimate Reward { get; init; }

    /// <summary>Mean number of assistant turns per scored episode.</summary>
    public double MeanTurns { get; init; }

    /// <summary>Tool calls attempted in scored episodes (see <see cref="ToolCallTally"/>).</summary>
    public int ToolCalls { get; init; }

    /// <summary>Of <see cref="ToolCalls"/>, the malformed ones and those answered with an error observation.</summary>
    public int InvalidToolCalls { get; init; }

    /// <summary>InvalidToolCalls / ToolCalls, or 0 when no tool call was attempted.</summary>
    public double InvalidToolCallRate { get; init; }

    /// <summary>pass@k by k (unbiased estimator, averaged over tasks with at least k scored samples); empty for one sample per task.</summary>
    public IReadOnlyDictionary<int, double> PassAtK { get; init; } = new Dictionary<int, double>();

    /// <summary>Mean of each environment metric (e.g. <c>regret</c>) over the scored episodes that report it.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// The report as one JSON object with snake_case keys: <c>success_rate</c>, <c>ci_low</c>, <c>ci_high</c>,
    /// <c>mean_reward</c>, <c>episodes</c>, <c>invalid_tool_call_rate</c>, <c>pass_at_k</c>, <c>mean_turns</c>,
    /// <c>infra_errors</c>, <c>metrics</c> and more.
    /// </summary>
    public string ToJson(bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WriteString("env", Environment);
            if (Policy is not null) w.WriteString("policy", Policy);
            if (Split is not null) w.WriteString("split", Split);
            w.WriteNumber("episodes", Episodes);
            w.WriteNumber("tasks", Tasks);
            w.WriteNumber("infra_errors", InfrastructureErrors);
            w.WriteNumber("truncated", Truncated);
            w.WriteNumber("successes", Successes);
            w.WriteNumber("success_rate", SuccessRate);
            w.WriteNumber("ci_low", SuccessInterval.Low);
            w.WriteNumber("ci_high", SuccessInterval.High);
            w.WriteNumber("mean_reward", Reward.Mean);
            w.WriteNumber("reward_std", Reward.StdDev);
            w.WriteNumber("reward_ci_low", Reward.Interval.Low);
            w.WriteNumber("reward_ci_high", Reward.Interval.High);
            w.WriteNumber("mean_turns", MeanTurns);
            w.WriteNumber("tool_calls", ToolCalls);
            w.WriteNumber("invalid_tool_calls", InvalidToolCalls);
            w.WriteNumber("invalid_tool_call_rate", InvalidToolCallRate);
            w.WriteStartObject("pass_at_k");
            foreach (var (k, v) in PassAtK.OrderBy(p => p.Key))
                w.WriteNumber(k.ToString(CultureInfo.InvariantCulture), v);
            w.WriteEndObject();
            w.WriteStartObject("metrics");
            foreach (var (name, v) in Metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
                w.WriteNumber(name, v);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The report as an aligned two-column text table for the terminal.</summary>
    public string ToTable()
    {
        var rows = new List<(string Name, string Value)>
        {
            ("episodes (scored)", $"{Episodes} over {Tasks} tasks"),
            ("infrastructure errors", $"{InfrastructureErrors} (excluded)"),
            ("truncated", $"{Truncated}"),
            ("success rate", $"{F(SuccessRate)}  [{F(SuccessInterval.Low)}, {F(SuccessInterval.High)}] 95% Wilson  ({Successes}/{Episodes})"),
            ("mean reward", $"{F(Reward.Mean)} ± {F(Reward.StdDev)} std  [{F(Reward.Interval.Low)}, {F(Reward.Interval.High)}] 95% CI"),
        };
        foreach (var (k, v) in PassAtK.OrderBy(p => p.Key))
            rows.Add(($"pass@{k}", F(v)));
        rows.Add(("mean turns", MeanTurns.ToString("0.00", CultureInfo.InvariantCulture)));
        rows.Add(("invalid tool calls", $"{F(InvalidToolCallRate)}  ({InvalidToolCalls}/{ToolCalls})"));
        foreach (var (name, v) in Metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
            rows.Add(($"env: {name}", F(v)));

        var title = $"eval  env={Environment}" + (Policy is null ? "" : $"  policy={Policy}") + (Split is null ? "" : $"  split={Split}");
        int width = rows.Max(r => r.Name.Length);
        var sb = new StringBuilder();
        sb.AppendLine(title);
        sb.AppendLine(new string('-', Math.Max(title.Length, width + 40)));
        foreach (var (name, value) in rows)
            sb.Append(name.PadRight(width + 2)).AppendLine(value);
        return sb.ToString();
    }

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
