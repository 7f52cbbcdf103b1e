using System.Text.Json.Nodes;
using Whetstone.Agents.Evaluation;
using Whetstone.Agents.Formats;

namespace Whetstone.Training.Demo;

/// <summary>Writes the demo's run-directory files in the contract of docs/report.md.</summary>
internal static class DemoRunFiles
{
    /// <summary>Concatenates each stage's metrics.jsonl into one file, adding <c>"stage"</c> to every line.</summary>
    public static void MergeMetrics(string path, params (string Source, string Stage)[] stages)
    {
        using var file = AtomicFile.Create(path);
        foreach (var (source, stage) in stages)
        {
            if (!File.Exists(source)) continue;
            int lineNumber = 0;
            foreach (var line in File.ReadLines(source))
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                var record = JsonNode.Parse(line) as JsonObject ?? throw new FormatException($"{source}:{lineNumber}: not a JSON object");
                var staged = new JsonObject { ["stage"] = stage };
                foreach (var (key, value) in record) if (key != "stage") staged[key] = value?.DeepClone();
                file.Writer.Write(JsonlRecords.ToLine(staged));
                file.Writer.Write('\n');
            }
        }
        file.Commit();
    }

    /// <summary>eval.jsonl: one evaluation per line with its stage and step.</summary>
    public static void WriteEvals(string path, IEnumerable<(string Stage, long Step, EvaluationReport Report)> evals)
    {
        using var file = AtomicFile.Create(path);
        foreach (var (stage, step, report) in evals)
        {
            var o = JsonNode.Parse(report.ToJson(false))!.AsObject();
            o["stage"] = stage;
            o["step"] = step;
            file.Writer.Write(JsonlRecords.ToLine(o));
            file.Writer.Write('\n');
        }
        file.Commit();
    }

    /// <summary>summary.json: the title and one result per policy (evaluation JSON + <c>policy</c> + <c>stage</c>).</summary>
    public static void WriteSummary(string path, string title, IReadOnlyList<DemoRow> rows)
    {
        var results = new JsonArray();
        foreach (var (policy, report) in rows)
        {
            var o = JsonNode.Parse(report.ToJson(false))!.AsObject();
            o["policy"] = policy;
            var stage = policy switch { "SFT" => "sft", "SFT+GRPO" => "grpo", _ => null };
            if (stage is not null) o["stage"] = stage;
            results.Add(o);
        }
        CalcDemo.WriteJson(path, new JsonObject { ["title"] = title, ["results"] = results });
    }
}
