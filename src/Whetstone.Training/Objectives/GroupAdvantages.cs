namespace Whetstone.Training.Objectives;

/// <summary>
/// Group-relative advantages: a prompt is answered G times, and each completion is scored against the others. Pure
/// functions on rewards; sums in float64 so the result does not depend on the order of the group.
/// </summary>
public static class GroupAdvantages
{
    /// <summary>Advantages of one group of G rewards, (G).</summary>
    /// <param name="rewards">The group's rewards, (G), G ≥ 1 (RLOO needs G ≥ 2; GRPO's sample std needs G ≥ 2).</param>
    /// <param name="options">Estimator and std settings; defaults when null.</param>
    public static float[] ForGroup(ReadOnlySpan<float> rewards, AdvantageOptions? options = null)
    {
        options ??= new AdvantageOptions();
        int g = rewards.Length;
        if (g == 0) throw new ArgumentException("a group needs at least one reward", nameof(rewards));
        RequireFinite(rewards);
        var result = new float[g];
        if (IsZeroVariance(rewards)) return result; // every estimator gives exactly 0; no 0/ε noise
        double mean = 0;
        for (int i = 0; i < g; i++) mean += rewards[i];
        double sum = mean;
        mean /= g;
        switch (options.Estimator)
        {
            case AdvantageEstimator.DrGrpo:
                for (int i = 0; i < g; i++) result[i] = (float)(rewards[i] - mean);
                break;
            case AdvantageEstimator.Rloo:
                if (g < 2) throw new ArgumentException("RLOO needs at least 2 completions per group (the baseline is the mean of the others)", nameof(rewards));
                for (int i = 0; i < g; i++) result[i] = (float)(rewards[i] - (sum - rewards[i]) / (g - 1));
                break;
            case AdvantageEstimator.Grpo:
                double std = Std(rewards, mean, options.Std);
                for (int i = 0; i < g; i++) result[i] = (float)((rewards[i] - mean) / (std + options.Epsilon));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Estimator, "unknown advantage estimator");
        }
        return result;
    }

    /// <summary>
    /// Advantages of consecutive groups: rewards[0..G) are the first prompt's completions, [G..2G) the second's, and so
    /// on (TRL's <c>rewards.view(-1, G)</c> layout).
    /// </summary>
    /// <param name="rewards">(groups · G).</param>
    /// <param name="groupSize">G, the completions per prompt.</param>
    /// <param name="options">Estimator and std settings; defaults when null.</param>
    public static GroupAdvantageResult ForGroups(ReadOnlySpan<float> rewards, int groupSize, AdvantageOptions? options = null)
    {
        if (groupSize < 1) throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "group size must be at least 1");
        if (rewards.Length % groupSize != 0)
            throw new ArgumentException($"{rewards.Length} rewards do not split into groups of {groupSize}", nameof(rewards));
        options ??= new AdvantageOptions();
        int groups = rewards.Length / groupSize;
        var advantages = new float[rewards.Length];
        var zero = new bool[groups];
        bool batchStd = options.Estimator == AdvantageEstimator.Grpo && options.StdScope == StdScope.Batch;
        double std = 0;
        if (batchStd)
        {
            // The group mean is subtracted below; the std is the whole batch's.
            RequireFinite(rewards);
            double mean = 0;
            foreach (var r in rewards) mean += r;
            std = Std(rewards, mean / rewards.Length, options.Std);
        }
        for (int k = 0; k < groups; k++)
        {
            var group = rewards.Slice(k * groupSize, groupSize);
            zero[k] = IsZeroVariance(group);
            if (!batchStd)
            {
                ForGroup(group, options).CopyTo(advantages, k * groupSize);
                continue;
            }
            double groupMean = 0;
            foreach (var r in group) groupMean += r;
            groupMean /= groupSize;
            for (int i = 0; i < groupSize; i++)
                advantages[k * groupSize + i] = zero[k] ? 0f : (float)((group[i] - groupMean) / (std + options.Epsilon));
        }
        return new GroupAdvantageResult(advantages, zero);
    }

    /// <summary>True when every reward of the group is the same value (the group teaches nothing).</summary>
    /// <param name="rewards">The group's rewards.</param>
    public static bool IsZeroVariance(ReadOnlySpan<float> rewards)
    {
        for (int i = 1; i < rewards.Length; i++)
            if (rewards[i] != rewards[0]) return false;
        return true;
    }

    private static void RequireFinite(ReadOnlySpan<float> rewards)
    {
        for (int i = 0; i < rewards.Length; i++)
            if (!float.IsFinite(rewards[i]))
                throw new ArgumentException($"reward {i} is {rewards[i]}; rewards must be finite", nameof(rewards));
    }

    private static double Std(ReadOnlySpan<float> rewards, double mean, RewardStd kind)
    {
        int g = rewards.Length;
        if (kind == RewardStd.Sample && g < 2)
            throw new ArgumentException("the sample std needs at least 2 completions per group; use RewardStd.Population", nameof(rewards));
        double ss = 0;
        for (int i = 0; i < g; i++) ss += (rewards[i] - mean) * (rewards[i] - mean);
        return Math.Sqrt(ss / (kind == RewardStd.Sample ? g - 1 : g));
    }
}
