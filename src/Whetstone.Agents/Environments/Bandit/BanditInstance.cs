using System.Globalization;

namespace Whetstone.Agents.Environments.Bandit;

/// <summary>
/// One generated bandit: the arms' payoff probabilities and, per arm, the fixed sequence of 0/1 payoffs its pulls
/// return (the k-th pull of arm a always pays <c>Outcomes[a][k]</c>). Fixing the sequences per arm makes episodes
/// reproducible whatever order the arms are pulled in, and lets policies be compared on identical luck.
/// </summary>
internal sealed record BanditInstance(IReadOnlyList<double> Means, IReadOnlyList<bool[]> Outcomes, ulong StreamSeed)
{
    public static BanditInstance Generate(TaskRandom random, BanditOptions options)
    {
        var means = new double[options.Arms];
        for (var a = 0; a < means.Length; a++)
            means[a] = Math.Round(random.NextDouble(), 2);
        var streamSeed = random.NextUInt64();
        var outcomes = new bool[options.Arms][];
        for (var a = 0; a < outcomes.Length; a++)
        {
            var stream = TaskRandom.From((long)streamSeed, a);
            outcomes[a] = new bool[options.Pulls];
            for (var k = 0; k < options.Pulls; k++)
                outcomes[a][k] = stream.NextDouble() < means[a];
        }
        return new BanditInstance(means, outcomes, streamSeed);
    }

    /// <summary>The canonical text the train/test split is decided on.</summary>
    public string Content => string.Join(",", Means.Select(m => m.ToString("0.00", CultureInfo.InvariantCulture))) + $"/{StreamSeed}";

    public double BestMean => Means.Max();
}
