using System.CommandLine;
using Whetstone.Agents.Environments;

namespace Whetstone.Cli.Commands;

/// <summary>
/// <c>whet envs</c>: lists the built-in environments (name, description, tools, options). With
/// <c>--show NAME[:key=value,...]</c> it plays the scripted expert on one task and prints the transcript.
/// </summary>
public static class EnvsCommand
{
    /// <summary>Builds the <c>envs</c> verb.</summary>
    public static Command Create()
    {
        var show = new Option<string?>("--show")
        {
            Description = "Play the expert on one task of this environment and print the transcript, e.g. tictactoe:opponent=minimax",
        };
        var split = new Option<DataSplit>("--split") { Description = "Split of the shown task", DefaultValueFactory = _ => DataSplit.Test };
        var index = new Option<int>("--index") { Description = "Index of the shown task in its split", DefaultValueFactory = _ => 0 };

        var command = new Command("envs", "List the built-in environments. Example: whet envs --show calc:difficulty=medium");
        command.Options.Add(show);
        command.Options.Add(split);
        command.Options.Add(index);
        command.SetAction(parseResult =>
        {
            var spec = parseResult.GetValue(show);
            if (spec is null)
            {
                Console.Write(FormatTable());
                return 0;
            }
            try
            {
                var factory = EnvironmentCatalog.Parse(spec);
                var task = factory.Tasks(parseResult.GetValue(split), 1, parseResult.GetValue(index))[0];
                var demo = ExpertDemonstration.RunAsync(factory, task).GetAwaiter().GetResult();
                Console.WriteLine($"# {task.Id} ({factory.Description})");
                Console.WriteLine(demo.Render());
                var metrics = string.Join(", ", demo.Metrics.Select(m => $"{m.Key}={m.Value:0.###}"));
                Console.WriteLine($"# reward {demo.Reward:0.###}, success {demo.Success}; {metrics}");
                return 0;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"whet envs: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    private static string FormatTable()
    {
        string[] header = ["NAME", "TOOLS", "OPTIONS (default)", "DESCRIPTION"];
        var rows = EnvironmentCatalog.All.Select(d => new[]
        {
            d.Name,
            string.Join(", ", d.Tools),
            string.Join(" ", d.Options.Select(o => $"{o.Name}={o.ValuesText}({o.Default})")),
            d.Description,
        }).ToList();
        var widths = Enumerable.Range(0, header.Length - 1)
            .Select(c => rows.Select(r => r[c].Length).Append(header[c].Length).Max())
            .ToArray();
        var lines = new[] { header }.Concat(rows)
            .Select(r => string.Join("  ", r.Take(widths.Length).Select((cell, c) => cell.PadRight(widths[c]))) + "  " + r[^1]);
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}
