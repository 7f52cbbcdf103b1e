namespace Whetstone.Training.Objectives;

/// <summary>How a group of rewards for one prompt becomes one advantage per completion.</summary>
public enum AdvantageEstimator
{
    /// <summary>GRPO (DeepSeekMath): (r − mean) / (std + ε), std over the group.</summary>
    Grpo,

    /// <summary>Dr. GRPO (Liu et al. 2025): r − mean, no division by the std (which biases towards easy/hard prompts).</summary>
    DrGrpo,

    /// <summary>RLOO (Ahmadian et al. 2024): r_i − mean of the other G − 1 rewards (leave-one-out baseline).</summary>
    Rloo,
}
