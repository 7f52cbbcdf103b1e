namespace Whetstone.Training.Objectives;

/// <summary>Advantages of consecutive groups of completions, and which groups carry no signal.</summary>
/// <param name="Advantages">One per completion, in the order of the rewards, (groups · G).</param>
/// <param name="ZeroVarianceGroups">Per group, (groups): true when all its rewards are equal, so every advantage is 0 and a
/// trainer may drop the group (DAPO's dynamic sampling) instead of spending a forward/backward on a zero gradient.</param>
public sealed record GroupAdvantageResult(float[] Advantages, bool[] ZeroVarianceGroups)
{
    /// <summary>Number of groups whose rewards all agree.</summary>
    public int ZeroVarianceGroupCount => ZeroVarianceGroups.Count(z => z);
}
