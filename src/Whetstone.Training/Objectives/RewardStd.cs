namespace Whetstone.Training.Objectives;

/// <summary>Which standard deviation GRPO divides by.</summary>
public enum RewardStd
{
    /// <summary>√(Σ(r − mean)² / (G − 1)), Bessel-corrected: <c>torch.std</c>'s default, what TRL's GRPOTrainer and verl use.</summary>
    Sample,

    /// <summary>√(Σ(r − mean)² / G).</summary>
    Population,
}
