using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Agents.Evaluation;

namespace Whetstone.Training.RejectionSampling;

/// <summary>
/// The run directory's logs in the report contract: metrics.jsonl (one line per SFT step, <c>stage: "rft"</c>, the
/// step counted over all rounds) and eval.jsonl (<see cref="EvaluationReport.ToJson"/> plus stage, step and round).
/// Each line is appended and flushed on its own, so a killed run keeps what it logged.
/// </summary>
internal sealed class RftRunLog
{
    private readonly string? _metrics;
    private readonly string? _eval;

    public RftRunLog(string? outputDir)
    {
        if (outputDir is null) return;
        Directory.CreateDirectory(outputDir);
        _metrics = Path.Combine(outputDir, "metrics.jsonl");
        _eval = Path.Combine(outputDir, "eval.jsonl");
        File.WriteAllText(_metrics, "");
        File.WriteAllText(_eval, "");
    }

    /// <summary>One SFT step of round <paramref name="round"/>; <paramref name="extra"/> adds the round's sampling statistics.</summary>
    public void Step(long step, int round, double loss, IReadOnlyList<KeyValuePair<string, double>>? extra = null)
    {
        if (_metrics is null) return;
        var o = new JsonObject { ["step"] = step, ["stage"] = "rft", ["round"] = round };
        if (double.IsFinite(loss)) o["loss"] = loss;
        if (extra is not null)
            foreach (var (k, v) in extra) o[k] = double.IsFinite(v) ? v : null;
        Append(_metrics, o);
    }

    /// <summary>A held-out evaluation after <paramref name="step"/> SFT steps (round 0 = before training).</summary>
    public void Eval(long step, int round, EvaluationReport report)
    {
        if (_eval is null) return;
        var o = JsonNode.Parse(report.ToJson(indented: false))!.AsObject();
        o["stage"] = "rft";
        o["step"] = step;
        o["round"] = round;
        Append(_eval, o);
    }

    private static void Append(string path, JsonObject line)
    {
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        var bytes = System.Text.Encoding.UTF8.GetBytes(line.ToJsonString(Options) + "\n");
        stream.Write(bytes);
        stream.Flush(flushToDisk: false);
    }

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };
}
