using System.CommandLine;
using Whetstone.Cli.Commands.Train;
using Whetstone.Training.Recipes;

namespace Whetstone.Cli.Commands;

/// <summary>
/// <c>whet train sft|rft|dpo|grpo --config recipe.yaml [key=value …]</c>: runs a commented YAML recipe (see recipes/
/// and docs/recipes.md), with dotted <c>key=value</c> overrides such as <c>sft.max_steps=20 output_dir=runs/try</c>.
/// </summary>
public static class TrainCommand
{
    /// <summary>Builds the <c>train</c> verb with one sub-verb per method.</summary>
    public static Command Create()
    {
        var train = new Command("train", "Train a model from a YAML recipe. Example: whet train sft --config recipes/sft-calc-tiny.yaml sft.max_steps=50");
        train.Subcommands.Add(TrainMethodCommand.Create(TrainingMethod.Sft, "Supervised fine-tuning on trajectory JSONL.", "sft.max_steps=30 sft.warmup_steps=3"));
        train.Subcommands.Add(TrainMethodCommand.Create(TrainingMethod.Rft, "Rejection-sampling fine-tuning on an environment.", "rft.rounds=1 data.train_tasks=10"));
        train.Subcommands.Add(TrainMethodCommand.Create(TrainingMethod.Dpo, "DPO on preference pairs built from trajectory JSONL.", "dpo.max_steps=5 dpo.warmup_steps=1"));
        train.Subcommands.Add(TrainMethodCommand.Create(TrainingMethod.Grpo, "Multi-turn GRPO on an environment.", "grpo.max_steps=2 grpo.eval_every=0"));
        return train;
    }
}
