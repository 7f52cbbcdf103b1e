using System.CommandLine;
using System.Globalization;
using Whetstone.Cli.Progress;
using Whetstone.Training.Demo;
using Whetstone.Training.Recipes;

namespace Whetstone.Cli.Commands;

/// <summary>
/// <c>whet demo [--quick] [--out runs/NAME] [--seed S] [key=value …]</c>: the whole loop on calc from scratch (expert episodes →
/// BPE tokenizer → tiny model → SFT → short GRPO → held-out comparison with random and expert), written as a run
/// directory with a Hugging Face checkpoint and report.html. Progress on stderr, the table on stdout.
/// </summary>
public static class DemoCommand
{
    /// <summary>Builds the <c>demo</c> verb.</summary>
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Under 2 minutes: smaller model, fewer steps and test tasks (learns much less)" };
        var output = new Option<string?>("--out") { Description = "Run directory (default runs/demo or runs/demo-quick)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the model, data order, rollouts and evaluation", DefaultValueFactory = _ => 0 };
        var overrides = new Argument<string[]>("overrides")
        {
            Description = "Sizes to change, as snake_case DemoOptions keys, e.g. sft_steps=800 grpo_steps=60 grpo_learning_rate=3e-4 eval_tasks=200",
            Arity = ArgumentArity.ZeroOrMore,
        };

        var command = new Command("demo", "Train a tiny tool-using agent on calc from scratch: SFT then GRPO, compared with random and expert. Example: whet demo --quick");
        command.Options.Add(quick);
        command.Options.Add(output);
        command.Options.Add(seed);
        command.Arguments.Add(overrides);
        command.SetAction(async (parse, cancellationToken) =>
        {
            bool isQuick = parse.GetValue(quick);
            var dir = parse.GetValue(output) ?? Path.Combine("runs", isQuick ? "demo-quick" : "demo");
            var options = isQuick ? DemoOptions.Quick(dir, parse.GetValue(seed)) : DemoOptions.Full(dir, parse.GetValue(seed));
            try
            {
                if (parse.GetValue(overrides) is { Length: > 0 } assignments)
                {
                    var doc = RecipeDocument.Parse("", "whet demo", assignments);
                    options = RecipeBinder.Bind(options, doc.Root, doc, "") with { Profile = "custom" };
                }
                var result = await ProgressDisplay.RunAsync(async display => await CalcDemo.RunAsync(
                    options with { ProgressSink = display.Training(run => run switch { 1 => "SFT", 2 => "GRPO", _ => $"stage {run}" }) },
                    Console.Error, cancellationToken));
                Console.WriteLine();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"calc, held-out test tasks, one greedy episode each ({options.EvalTasks} tasks; {result.Parameters:N0}-parameter model):"));
                Console.Write(CalcDemo.FormatTable(result.Rows));
                Console.WriteLine(string.Join(", ", result.Seconds.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:F0} s"))));
                if (isQuick)
                    Console.WriteLine("--quick trains a smaller model for a few steps: it learns the tool-call format but rarely the numbers. Run `whet demo` (about 3 min on 2 quiet cores, up to 12 under load) for the real result.");
                Console.WriteLine($"checkpoint: {result.ModelDir}   (try: whet generate --model {result.ModelDir} --prompt ...)");
                Console.WriteLine($"report:     {result.ReportPath}");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or RecipeException)
            {
                Console.Error.WriteLine($"whet demo: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
