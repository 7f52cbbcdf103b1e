using Whetstone.Agents.Formats;
using Whetstone.Training.Reporting.Data;
using Whetstone.Training.Reporting.Html;

namespace Whetstone.Training.Reporting;

/// <summary>
/// <c>whet report</c>: turns a run directory (metrics.jsonl, eval.jsonl or evals/*.json, summary.json, sample
/// trajectories, config snapshot; the contract is in docs/report.md) into one self-contained HTML page with
/// SVG charts drawn here in C#, evaluation tables and chat transcripts. Missing pieces read "not available";
/// malformed ones throw with file and line.
/// </summary>
/// <example><code>
/// var result = RunReport.Write("runs/calc-grpo");            // → runs/calc-grpo/report.html
/// Console.WriteLine($"{result.Charts.Count} charts, {result.Transcripts} transcripts");
/// </code></example>
public static class RunReport
{
    /// <summary>The report of <paramref name="runDirectory"/> as HTML text.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FormatException">A file is malformed; the message starts with <c>file:line:</c> or <c>file:</c>.</exception>
    public static string Render(string runDirectory, ReportOptions? options = null) =>
        Build(runDirectory, options ?? new ReportOptions()).Html;

    /// <summary>
    /// Writes the report to <paramref name="outputPath"/> (default <c>RUN_DIR/report.html</c>) atomically: a
    /// temporary file in the same folder renamed over the target, so a reader never sees half a page.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FormatException">A file is malformed; the message starts with <c>file:line:</c> or <c>file:</c>.</exception>
    public static ReportResult Write(string runDirectory, string? outputPath = null, ReportOptions? options = null)
    {
        var (html, slots, transcripts) = Build(runDirectory, options ?? new ReportOptions());
        var path = Path.GetFullPath(outputPath ?? Path.Combine(runDirectory, "report.html"));
        using (var file = AtomicFile.Create(path))
        {
            file.Writer.Write(html);
            file.Commit();
        }
        return new ReportResult(
            path,
            new FileInfo(path).Length,
            slots.Where(s => s.Chart is not null).Select(s => s.Id).ToList(),
            slots.Where(s => s.Chart is null).Select(s => (s.Id, s.MissingNote ?? "")).ToList(),
            transcripts);
    }

    private static (string Html, List<Charts.ChartSlot> Slots, int Transcripts) Build(string runDirectory, ReportOptions options)
    {
        options.Validate();
        var run = RunDirectoryReader.Read(runDirectory, options.SamplesPerOutcome);
        var (html, slots) = ReportPage.Build(run, options);
        return (html, slots, run.Samples?.Count ?? 0);
    }
}
