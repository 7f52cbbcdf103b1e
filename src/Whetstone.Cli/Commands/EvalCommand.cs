using System.CommandLine;
using Whetstone.Agents.Evaluation;
using Whetstone.Agents.Formats;
using Whetstone.Cli.Progress;

namespace Whetstone.Cli.Commands;

/// <summary>
/// <c>whet eval</c>: runs a policy on an environment's held-out tasks and prints the success rate with its 95% Wilson
/// interval, mean reward, pass@k, mean turns, invalid-tool-call rate and environment metrics, as a table or (with
/// <c>--json</c>) exactly one JSON object. Infrastructure errors are counted and left out. Example:
/// <c>whet eval --env calc --policy random --episodes 200 --json</c>.
/// </summary>
public static class EvalCommand
{
    /// <summary>Builds the <c>eval</c> verb.</summary>
    public static Command Create()
    {
        var command = new Command("eval", "Evaluate a policy on an environment's test tasks. Example: whet eval --env calc --policy expert --episodes 200 --json");
        var args = RolloutArguments.AddTo(command, defaultSplit: "test");
        var json = new Option<bool>("--json") { Description = "Print exactly one JSON object instead of the table." };
        var output = new Option<string?>("--out") { Description = "Also write the trajectories to this JSONL file." };
        command.Options.Add(json);
        command.Options.Add(output);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!args.TryBuild(parse, out var run))
                return 2;
            var path = parse.GetValue(output);
            TrajectoryJsonlWriter? writer = path is null ? null : new TrajectoryJsonlWriter(path, append: false);
            try
            {
                // Progress goes to stderr, so --json keeps stdout to exactly one object.
                var trajectories = await ProgressDisplay.RunAsync(async display =>
                {
                    var progress = display.Episodes("eval", run.Runner.Plan(run.Tasks).Count);
                    try
                    {
                        return await run.Runner.RunAllAsync(run.Tasks, async (t, ct) =>
                        {
                            if (writer is not null) await writer.WriteAsync(t, ct);
                            progress.Add(t);
                        }, cancellationToken);
                    }
                    finally
                    {
                        progress.Finish();
                    }
                });
                var report = TrajectoryEvaluator.Evaluate(trajectories, run.PolicyName, run.Split);
                Console.WriteLine(parse.GetValue(json) ? report.ToJson() : report.ToTable());
                return RolloutArguments.ReportInfrastructureErrors(trajectories);
            }
            finally
            {
                if (writer is not null)
                    await writer.DisposeAsync();
            }
        });
        return command;
    }
}
