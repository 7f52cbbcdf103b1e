namespace Whetstone.Training.Recipes;

/// <summary>The <c>data:</c> section: trajectory JSONL files (sft, dpo) or an environment (rft, grpo).</summary>
public sealed record RecipeData
{
    /// <summary>sft: training trajectories; dpo: sampled policy trajectories (failures become rejected answers).</summary>
    public IReadOnlyList<string> Train { get; init; } = [];

    /// <summary>sft: held-out trajectories for the eval loss (optional).</summary>
    public IReadOnlyList<string> Eval { get; init; } = [];

    /// <summary>dpo: extra successful trajectories (e.g. expert rollouts) used as chosen answers.</summary>
    public IReadOnlyList<string> Chosen { get; init; } = [];

    /// <summary>dpo: at most this many pairs per task (0: one per failure).</summary>
    public int MaxPairsPerTask { get; init; }

    /// <summary>rft, grpo: an environment spec as <c>whet envs</c> lists it, e.g. <c>calc</c> or <c>calc:difficulty=easy</c>.</summary>
    public string? Env { get; init; }

    /// <summary>rft: how many train-split tasks to sample from (grpo uses <c>grpo.train_tasks</c>).</summary>
    public int TrainTasks { get; init; } = 200;

    /// <summary>From scratch with an environment: expert episodes rendered to train the tokenizer.</summary>
    public int TokenizerEpisodes { get; init; } = 300;
}
