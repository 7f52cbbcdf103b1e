using Whetstone.Cli.Progress;
using Whetstone.Training.Recipes;

namespace Whetstone.Cli.Commands.Train;

/// <summary>Hands the CLI's progress display to the trainer of a recipe (unless the recipe turned progress off).</summary>
internal static class RecipeProgress
{
    public static Recipe Attach(Recipe recipe, ProgressDisplay display) => recipe.Method switch
    {
        TrainingMethod.Sft when recipe.Sft is { ShowProgress: true } c =>
            recipe with { Sft = c with { ProgressSink = display.Training(_ => "sft") } },
        TrainingMethod.Dpo when recipe.Dpo is { ShowProgress: true } c =>
            recipe with { Dpo = c with { ProgressSink = display.Training(_ => "dpo") } },
        TrainingMethod.Grpo when recipe.Grpo is { ShowProgress: true } c =>
            recipe with { Grpo = c with { ProgressSink = display.Training(_ => "grpo") } },
        TrainingMethod.Rft when recipe.Rft is { ShowProgress: true } c =>
            recipe with { Rft = c with { ProgressSink = display.Training(run => $"rft round {run} sft") } },
        _ => recipe,
    };
}
