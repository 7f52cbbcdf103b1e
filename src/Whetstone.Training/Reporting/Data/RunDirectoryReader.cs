using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Agents.Formats;

namespace Whetstone.Training.Reporting.Data;

/// <summary>
/// Reads a run directory (the contract in docs/report.md). Absent files become nulls; a malformed file
/// throws a <see cref="FormatException"/> whose message starts with <c>file:line:</c> (or <c>file:</c>).
/// </summary>
internal static class RunDirectoryReader
{
    /// <summary>Largest config snapshot shown, in characters; a recipe is never this long, a dumped state might be.</summary>
    private const int MaxConfigChars = 20_000;

    /// <summary>Reads <paramref name="directory"/>, keeping up to <paramref name="samplesPerOutcome"/> successes and as many failures.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FormatException">A file is malformed; the message names file and line.</exception>
    public static RunData Read(string directory, int samplesPerOutcome)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Run directory '{directory}' does not exist.");
        var sources = new List<(string, string)>();

        var metricsPath = Path.Combine(directory, "metrics.jsonl");
        List<MetricsRecord>? metrics = null;
        if (File.Exists(metricsPath))
        {
            metrics = MetricsJsonl.Read(metricsPath);
            sources.Add(("metrics.jsonl", Count(metrics.Count, "record")));
        }
        else sources.Add(("metrics.jsonl", "not available"));

        var evals = ReadEvals(directory, sources);
        var summary = ReadSummary(directory, sources);
        var samples = SampleReader.Read(directory, samplesPerOutcome, sources);
        var config = ReadConfig(directory, sources);

        return new RunData
        {
            Directory = directory,
            Metrics = metrics,
            Evals = evals,
            Summary = summary,
            Samples = samples,
            Config = config,
            Sources = sources,
        };
    }

    internal static string Count(int n, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{n:N0} {noun}{(n == 1 ? "" : "s")}");

    private static List<EvalResult>? ReadEvals(string directory, List<(string, string)> sources)
    {
        List<EvalResult>? evals = null;
        var jsonlPath = Path.Combine(directory, "eval.jsonl");
        if (File.Exists(jsonlPath))
        {
            evals = [];
            foreach (var (line, record) in JsonlRecords.Read(jsonlPath))
            {
                try { evals.Add(EvalResult.FromJson(record)); }
                catch (JsonValues.FieldException e) { throw new JsonlFormatException(jsonlPath, line, e.Field, e.Problem, e); }
            }
            sources.Add(("eval.jsonl", Count(evals.Count, "evaluation")));
        }
        else sources.Add(("eval.jsonl", "not available"));

        var folder = Path.Combine(directory, "evals");
        if (Directory.Exists(folder))
        {
            evals ??= [];
            var files = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).ToList();
            foreach (var file in files)
            {
                var o = ParseObjectFile(file);
                try { evals.Add(EvalResult.FromJson(o)); }
                catch (JsonValues.FieldException e) { throw new FormatException($"{file}: {e.Message}", e); }
            }
            sources.Add(("evals/*.json", Count(files.Count, "file")));
        }
        else sources.Add(("evals/*.json", "not available"));
        return evals;
    }

    private static RunSummary? ReadSummary(string directory, List<(string, string)> sources)
    {
        var path = Path.Combine(directory, "summary.json");
        if (!File.Exists(path))
        {
            sources.Add(("summary.json", "not available"));
            return null;
        }
        var o = ParseObjectFile(path);
        string? title;
        try { title = JsonValues.String(o, "title"); }
        catch (JsonValues.FieldException e) { throw new FormatException($"{path}: {e.Message}", e); }
        if (!o.TryGetPropertyValue("results", out var node) || node is not JsonArray array)
            throw new FormatException($"{path}: results: is required (an array of evaluation objects), found {JsonValues.Describe(node)}");
        var results = new List<EvalResult>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject item)
                throw new FormatException($"{path}: results[{i}]: expected an object, found {JsonValues.Describe(array[i])}");
            try { results.Add(EvalResult.FromJson(item)); }
            catch (JsonValues.FieldException e) { throw new FormatException($"{path}: results[{i}].{e.Message}", e); }
        }
        sources.Add(("summary.json", Count(results.Count, "result")));
        return new RunSummary(title, results);
    }

    private static (string, string)? ReadConfig(string directory, List<(string, string)> sources)
    {
        foreach (var name in new[] { "config.json", "recipe.yaml", "recipe.yml", "config.yaml", "config.yml" })
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path)) continue;
            var text = name.EndsWith(".json", StringComparison.Ordinal) ? Indent(ParseObjectFile(path)) : File.ReadAllText(path);
            if (text.Length > MaxConfigChars)
                text = string.Create(CultureInfo.InvariantCulture, $"{text[..MaxConfigChars]}\n… ({text.Length - MaxConfigChars:N0} more characters)");
            sources.Add((name, "found"));
            return (name, text);
        }
        sources.Add(("config.json / recipe.yaml", "not available"));
        return null;
    }

    private static string Indent(JsonObject o) =>
        o.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>Parses a whole file as one JSON object; syntax errors name the file and line.</summary>
    internal static JsonObject ParseObjectFile(string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            throw new FormatException($"{path}:{line}: not valid JSON: {e.Message}", e);
        }
        return node as JsonObject ?? throw new FormatException($"{path}: expected a JSON object, found {JsonValues.Describe(node)}");
    }
}
