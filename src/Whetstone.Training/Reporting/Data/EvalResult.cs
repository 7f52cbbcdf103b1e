using System.Globalization;
using System.Text.Json.Nodes;

namespace Whetstone.Training.Reporting.Data;

/// <summary>
/// One held-out evaluation: the fields of <c>EvaluationReport.ToJson()</c> that the report shows, plus where it
/// belongs: the policy label (<c>SFT+GRPO</c>), the training stage and the step it was measured at.
/// </summary>
internal sealed record EvalResult
{
    /// <summary>Policy label, e.g. <c>random</c>, <c>SFT</c>, <c>SFT+GRPO</c>, <c>expert</c>.</summary>
    public string? Policy { get; init; }

    /// <summary>Training stage (<c>sft</c>, <c>grpo</c>, …), if any.</summary>
    public string? Stage { get; init; }

    /// <summary>Training step at which the policy was evaluated, if any.</summary>
    public double? Step { get; init; }

    /// <summary>Environment name (EvaluationReport's <c>env</c>).</summary>
    public string? Env { get; init; }

    /// <summary>Fraction of scored episodes solved.</summary>
    public required double SuccessRate { get; init; }

    /// <summary>Lower end of the 95% interval of <see cref="SuccessRate"/>.</summary>
    public double? CiLow { get; init; }

    /// <summary>Upper end of the 95% interval of <see cref="SuccessRate"/>.</summary>
    public double? CiHigh { get; init; }

    /// <summary>Mean episode reward.</summary>
    public double? MeanReward { get; init; }

    /// <summary>Sample standard deviation of the episode reward.</summary>
    public double? RewardStd { get; init; }

    /// <summary>Scored episodes.</summary>
    public double? Episodes { get; init; }

    /// <summary>Mean assistant turns per episode.</summary>
    public double? MeanTurns { get; init; }

    /// <summary>Invalid / attempted tool calls.</summary>
    public double? InvalidToolCallRate { get; init; }

    /// <summary>Episodes lost to infrastructure errors (not scored).</summary>
    public double? InfraErrors { get; init; }

    /// <summary>pass@k by k.</summary>
    public IReadOnlyDictionary<int, double> PassAtK { get; init; } = new Dictionary<int, double>();

    /// <summary>Environment metrics (e.g. <c>regret</c>) by name.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Reads one result object; <c>success_rate</c> is required, everything else optional.</summary>
    /// <exception cref="JsonValues.FieldException">A field has the wrong type; the message names it.</exception>
    public static EvalResult FromJson(JsonObject o)
    {
        var success = JsonValues.Number(o, "success_rate")
            ?? throw new JsonValues.FieldException("success_rate", "is required (a number in [0, 1])");
        return new EvalResult
        {
            Policy = JsonValues.String(o, "policy"),
            Stage = JsonValues.String(o, "stage"),
            Step = JsonValues.Number(o, "step"),
            Env = JsonValues.String(o, "env"),
            SuccessRate = success,
            CiLow = JsonValues.Number(o, "ci_low"),
            CiHigh = JsonValues.Number(o, "ci_high"),
            MeanReward = JsonValues.Number(o, "mean_reward"),
            RewardStd = JsonValues.Number(o, "reward_std"),
            Episodes = JsonValues.Number(o, "episodes"),
            MeanTurns = JsonValues.Number(o, "mean_turns"),
            InvalidToolCallRate = JsonValues.Number(o, "invalid_tool_call_rate"),
            InfraErrors = JsonValues.Number(o, "infra_errors"),
            PassAtK = ReadPassAtK(o),
            Metrics = ReadMetrics(o),
        };
    }

    private static Dictionary<int, double> ReadPassAtK(JsonObject o)
    {
        var result = new Dictionary<int, double>();
        if (!o.TryGetPropertyValue("pass_at_k", out var node) || node is null) return result;
        if (node is not JsonObject p)
            throw new JsonValues.FieldException("pass_at_k", $"expected an object, found {JsonValues.Describe(node)}");
        foreach (var (key, _) in p)
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k < 1)
                throw new JsonValues.FieldException($"pass_at_k.{key}", "keys must be positive integers (k)");
            result[k] = JsonValues.Number(p, key) ?? throw new JsonValues.FieldException($"pass_at_k.{key}", "expected a number, found null");
        }
        return result;
    }

    private static Dictionary<string, double> ReadMetrics(JsonObject o)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!o.TryGetPropertyValue("metrics", out var node) || node is null) return result;
        if (node is not JsonObject m)
            throw new JsonValues.FieldException("metrics", $"expected an object, found {JsonValues.Describe(node)}");
        foreach (var (key, value) in m)
        {
            if (value is not null && MetricsJsonl.TryNumber(value, out var v)) result[key] = v;
            else throw new JsonValues.FieldException($"metrics.{key}", $"expected a number, found {JsonValues.Describe(value)}");
        }
        return result;
    }
}
