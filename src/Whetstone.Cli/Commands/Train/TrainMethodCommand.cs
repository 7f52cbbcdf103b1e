using System.CommandLine;
using Whetstone.Cli.Progress;
using Whetstone.Training.Checkpointing;
using Whetstone.Training.Recipes;

namespace Whetstone.Cli.Commands.Train;

/// <summary>One <c>whet train &lt;method&gt;</c> sub-verb: load the recipe, apply overrides, run it.</summary>
public static class TrainMethodCommand
{
    /// <summary>Builds the sub-verb for <paramref name="method"/>; <paramref name="exampleOverrides"/> goes in its help example.</summary>
    public static Command Create(TrainingMethod method, string description, string exampleOverrides)
    {
        string name = method.ToString().ToLowerInvariant();
        var config = new Option<string>("--config") { Description = "The recipe YAML file (see recipes/)", Required = true };
        var overrides = new Argument<string[]>("overrides")
        {
            Description = $"key=value overrides with dotted keys, e.g. {exampleOverrides} output_dir=runs/try",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var cmd = new Command(name, $"{description} Example: whet train {name} --config recipes/{name}-calc-tiny.yaml {exampleOverrides}");
        cmd.Options.Add(config);
        cmd.Arguments.Add(overrides);
        cmd.SetAction(async (parse, cancel) =>
        {
            try
            {
                var recipe = Recipe.Load(method, parse.GetValue(config)!, parse.GetValue(overrides) ?? []);
                return await ProgressDisplay.RunAsync(async display =>
                {
                    await RecipeRunner.RunAsync(RecipeProgress.Attach(recipe, display), Console.Out, cancel);
                    return 0;
                });
            }
            catch (Exception e) when (e is RecipeException or IOException or InvalidDataException or ArgumentException
                or UnauthorizedAccessException or TrainingDivergedException)
            {
                Console.Error.WriteLine($"train {name}: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }
}
