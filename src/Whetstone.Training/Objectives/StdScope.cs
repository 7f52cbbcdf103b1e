namespace Whetstone.Training.Objectives;

/// <summary>Over which rewards GRPO's std is taken; the mean is always the group's.</summary>
public enum StdScope
{
    /// <summary>The group's own rewards (DeepSeekMath GRPO).</summary>
    Group,

    /// <summary>Every reward of the batch passed to <see cref="GroupAdvantages.ForGroups"/>.</summary>
    Batch,
}
