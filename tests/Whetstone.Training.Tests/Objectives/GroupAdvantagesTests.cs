using Whetstone.Training.Objectives;

namespace Whetstone.Training.Tests.Objectives;

public class GroupAdvantagesTests
{
    [Fact]
    public void Grpo_divides_by_the_sample_std_plus_epsilon_by_default()
    {
        // [1, 0, 0, 1]: mean 0.5, Σ(r − mean)² = 1, sample std = √(1/3) = 0.5773503.
        var a = GroupAdvantages.ForGroup([1f, 0f, 0f, 1f]);
        float expected = (float)(0.5 / (0.5773502691896258 + 1e-4)); // 0.8657...
        Assert.Equal([expected, -expected, -expected, expected], a);
        Assert.Equal(0.86588, a[0], 4);
    }

    [Fact]
    public void Grpo_with_the_population_std()
    {
        // [1, 2, 3, 6]: mean 3, deviations −2, −1, 0, 3, Σ² = 14, population std = √3.5 = 1.8708287.
        var a = GroupAdvantages.ForGroup([1f, 2f, 3f, 6f], new AdvantageOptions { Std = RewardStd.Population, Epsilon = 0f });
        Assert.Equal(-1.0690450, a[0], 5);
        Assert.Equal(-0.5345225, a[1], 5);
        Assert.Equal(0.0, a[2], 6);
        Assert.Equal(1.6035675, a[3], 5);
        // The sample std of the same group is √(14/3) = 2.1602469.
        var s = GroupAdvantages.ForGroup([1f, 2f, 3f, 6f], new AdvantageOptions { Epsilon = 0f });
        Assert.Equal(-0.9258201, s[0], 5);
        Assert.Equal(1.3887301, s[3], 5);
    }

    [Fact]
    public void Dr_grpo_only_subtracts_the_mean()
    {
        var a = GroupAdvantages.ForGroup([1f, 2f, 3f, 6f], new AdvantageOptions { Estimator = AdvantageEstimator.DrGrpo });
        Assert.Equal([-2f, -1f, 0f, 3f], a);
    }

    [Fact]
    public void Rloo_uses_the_mean_of_the_others_as_baseline()
    {
        // [1, 2, 3, 6]: others' means 11/3, 10/3, 3, 2.
        var a = GroupAdvantages.ForGroup([1f, 2f, 3f, 6f], new AdvantageOptions { Estimator = AdvantageEstimator.Rloo });
        Assert.Equal(-8.0 / 3, a[0], 5);
        Assert.Equal(-4.0 / 3, a[1], 5);
        Assert.Equal(0.0, a[2], 6);
        Assert.Equal(4.0, a[3], 5);
        // RLOO is Dr. GRPO scaled by G / (G − 1).
        var dr = GroupAdvantages.ForGroup([1f, 2f, 3f, 6f], new AdvantageOptions { Estimator = AdvantageEstimator.DrGrpo });
        for (int i = 0; i < 4; i++) Assert.Equal(dr[i] * 4.0 / 3, a[i], 5);
    }

    [Theory]
    [InlineData(AdvantageEstimator.Grpo)]
    [InlineData(AdvantageEstimator.DrGrpo)]
    [InlineData(AdvantageEstimator.Rloo)]
    public void Equal_rewards_give_exact_zeros_and_are_flagged(AdvantageEstimator estimator)
    {
        var options = new AdvantageOptions { Estimator = estimator };
        var result = GroupAdvantages.ForGroups([0.7f, 0.7f, 0.7f, 1f, 0f, 0f], groupSize: 3, options);
        Assert.Equal([true, false], result.ZeroVarianceGroups);
        Assert.Equal(1, result.ZeroVarianceGroupCount);
        Assert.Equal([0f, 0f, 0f], result.Advantages[..3]);
        Assert.All(result.Advantages[3..], v => Assert.NotEqual(0f, v));
        Assert.True(GroupAdvantages.IsZeroVariance([2f, 2f]));
        Assert.False(GroupAdvantages.IsZeroVariance([2f, 2.0001f]));
    }

    [Fact]
    public void Groups_are_consecutive_runs_of_the_rewards()
    {
        var result = GroupAdvantages.ForGroups([1f, 0f, 5f, 3f], groupSize: 2,
            new AdvantageOptions { Estimator = AdvantageEstimator.DrGrpo });
        Assert.Equal([0.5f, -0.5f, 1f, -1f], result.Advantages);
    }

    [Fact]
    public void Batch_std_scope_centres_per_group_and_scales_by_the_batch_std()
    {
        // Groups [1, 0] and [3, 3]: group means 0.5 and 3; batch std (sample) of [1, 0, 3, 3] = √(6.75/3) = 1.5.
        var result = GroupAdvantages.ForGroups([1f, 0f, 3f, 3f], groupSize: 2,
            new AdvantageOptions { StdScope = StdScope.Batch, Epsilon = 0f });
        Assert.Equal(0.5 / 1.5, result.Advantages[0], 6);
        Assert.Equal(-0.5 / 1.5, result.Advantages[1], 6);
        Assert.Equal([0f, 0f], result.Advantages[2..]);
        Assert.Equal([false, true], result.ZeroVarianceGroups);
    }

    [Fact]
    public void Bad_input_is_rejected_with_a_reason()
    {
        Assert.Contains("groups of 4", Assert.Throws<ArgumentException>(() => GroupAdvantages.ForGroups([1f, 2f, 3f], 4)).Message);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => GroupAdvantages.ForGroup([1f, float.NaN])).Message);
        Assert.Throws<ArgumentException>(() => GroupAdvantages.ForGroup([]));
    }
}
