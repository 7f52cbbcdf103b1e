using System.CommandLine;
using System.Globalization;
using Whetstone.Training.Reporting;

namespace Whetstone.Cli.Commands;

/// <summary>
/// <c>whet report RUN_DIR</c>: renders a run directory (metrics.jsonl, eval.jsonl / evals/*.json, summary.json,
/// samples.jsonl / trajectories/*.jsonl, config.json) as one self-contained <c>report.html</c>: SVG training curves,
/// evaluation tables and sample transcripts. Missing pieces read "not available"; a malformed line stops it with
/// <c>file:line: field: problem</c> and exit code 1. Example: <c>whet report runs/calc-grpo --out /tmp/report.html</c>.
/// </summary>
public static class ReportCommand
{
    /// <summary>Builds the <c>report</c> verb.</summary>
    public static Command Create()
    {
        var runDir = new Argument<string>("RUN_DIR") { Description = "Run directory written by a trainer (see docs/report.md)" };
        var output = new Option<string?>("--out") { Description = "Where to write the HTML (default RUN_DIR/report.html)" };
        var samples = new Option<int>("--samples") { Description = "Solved and unsolved sample trajectories to show, each", DefaultValueFactory = _ => 3 };
        var smoothing = new Option<double>("--smoothing") { Description = "EMA weight of the smoothed training curves, in [0, 1); 0 = raw only", DefaultValueFactory = _ => 0.9 };
        var maxPoints = new Option<int>("--max-points") { Description = "Most points drawn per series (longer series are down-sampled with LTTB)", DefaultValueFactory = _ => 1000 };
        var title = new Option<string?>("--title") { Description = "Page title (default: summary.json's title, else the directory name)" };
        var example = new Option<bool>("--write-example") { Description = "First write a synthetic example run into RUN_DIR (curves are synthetic; calc rollouts are real)" };

        var command = new Command("report", "Render a run directory as a self-contained HTML report. Example: whet report runs/calc-grpo");
        command.Arguments.Add(runDir);
        command.Options.Add(output);
        command.Options.Add(samples);
        command.Options.Add(smoothing);
        command.Options.Add(maxPoints);
        command.Options.Add(title);
        command.Options.Add(example);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var dir = parse.GetValue(runDir)!;
            var options = new ReportOptions
            {
                SamplesPerOutcome = parse.GetValue(samples),
                Smoothing = parse.GetValue(smoothing),
                MaxPointsPerSeries = parse.GetValue(maxPoints),
                Title = parse.GetValue(title),
            };
            try
            {
                options.Validate();
                if (parse.GetValue(example)) await ExampleRun.WriteAsync(dir);
                var result = RunReport.Write(dir, parse.GetValue(output), options);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"wrote {result.OutputPath} ({result.Bytes / 1024.0:0.#} KiB): {result.Charts.Count} charts, {result.Transcripts} transcripts"));
                foreach (var (id, reason) in result.OmittedCharts) Console.WriteLine($"  omitted {id}: {reason}");
                return 0;
            }
            catch (Exception e) when (e is FormatException or IOException or ArgumentOutOfRangeException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"whet report: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
