using Whetstone.Models.Checkpoints;
using System.Text;
using System.Text.Json.Nodes;
using Whetstone.Agents.Evaluation;

namespace Whetstone.Training.Grpo;

/// <summary>
/// eval.jsonl of the run-directory contract (docs/report.md): one <see cref="EvaluationReport"/> JSON object per line
/// plus <c>stage</c> and <c>step</c>, flushed per line. Resuming keeps the lines up to the resumed step.
/// </summary>
internal sealed class EvalLog : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly string _stage;

    private EvalLog(string path, bool append, string stage)
    {
        _stage = stage;
        _writer = new StreamWriter(path, append, new UTF8Encoding(false));
    }

    /// <summary>A new, empty log at <paramref name="path"/>.</summary>
    public static EvalLog Create(string path, string stage) => new(path, append: false, stage);

    /// <summary>
    /// Continues <paramref name="path"/> after a resume from <paramref name="resumedStep"/>: lines with a later step,
    /// and torn lines, are dropped (rewritten atomically) before appending.
    /// </summary>
    public static EvalLog Resume(string path, long resumedStep, string stage)
    {
        if (File.Exists(path))
        {
            var kept = new StringBuilder();
            foreach (var line in File.ReadLines(path))
            {
                JsonNode? node;
                try { node = JsonNode.Parse(line); }
                catch (System.Text.Json.JsonException) { continue; }
                if (node?["step"]?.GetValue<long>() is { } s && s <= resumedStep) kept.Append(line).Append('\n');
            }
            AtomicFile.WriteAllText(path, kept.ToString());
        }
        return new EvalLog(path, append: true, stage);
    }

    /// <summary>Appends one evaluation at <paramref name="step"/>, played at <paramref name="temperature"/> (0: greedy).</summary>
    public void Write(long step, EvaluationReport report, double temperature)
    {
        var row = JsonNode.Parse(report.ToJson(indented: false))!.AsObject();
        row["stage"] = _stage;
        row["step"] = step;
        row["temperature"] = temperature;
        _writer.Write(row.ToJsonString());
        _writer.Write('\n');
        _writer.Flush();
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
