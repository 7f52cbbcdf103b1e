namespace Whetstone.Training.Recipes;

/// <summary>Which trainer a recipe drives; also the name of the recipe section holding that trainer's config.</summary>
public enum TrainingMethod
{
    /// <summary>Supervised fine-tuning on trajectories (<see cref="Sft.SftConfig"/>).</summary>
    Sft,
    /// <summary>Rejection-sampling fine-tuning on an environment (<see cref="RejectionSampling.RftConfig"/>).</summary>
    Rft,
    /// <summary>Direct preference optimisation on trajectory pairs (<see cref="Dpo.DpoConfig"/>).</summary>
    Dpo,
    /// <summary>Multi-turn GRPO on an environment (<see cref="Grpo.GrpoConfig"/>).</summary>
    Grpo,
}
