namespace Whetstone.Agents.Environments.Bandit;

/// <summary>
/// The bandit expert: Thompson sampling with Beta(1, 1) priors. Each turn it draws a plausible mean for every arm from
/// Beta(1 + payoffs, 1 + misses) and pulls the arm with the largest draw. It reads only observed counts and payoffs,
/// so its behaviour is something a model can learn from the transcript. Its randomness is re-seeded at the start of
/// each episode from its own seed and the task, so every task gets its own reproducible draws.
/// </summary>
/// <param name="environment">The instance to play.</param>
/// <param name="seed">Seed of the policy's own sampling.</param>
public sealed class ThompsonSamplingPolicy(BanditEnvironment environment, int seed) : BanditPolicy(environment)
{
    private TaskRandom _random = TaskRandom.From(seed);

    /// <inheritdoc />
    protected override void OnEpisodeStart() => _random = TaskRandom.From(seed, (long)Environment.Instance.StreamSeed, 0x7A5);

    /// <inheritdoc />
    protected override int ChooseArm()
    {
        var best = 0;
        var bestDraw = double.NegativeInfinity;
        for (var a = 0; a < Environment.PullCounts.Count; a++)
        {
            var wins = Environment.PayoffSums[a];
            var losses = Environment.PullCounts[a] - wins;
            var draw = Beta(1 + wins, 1 + losses);
            if (draw > bestDraw)
            {
                bestDraw = draw;
                best = a;
            }
        }
        return best;
    }

    /// <summary>Beta(a, b) for integer a, b: X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).</summary>
    private double Beta(int a, int b)
    {
        var x = Gamma(a);
        return x / (x + Gamma(b));
    }

    /// <summary>Gamma(k, 1) for a whole k: the sum of k unit exponentials.</summary>
    private double Gamma(int k)
    {
        var sum = 0.0;
        for (var i = 0; i < k; i++)
            sum -= Math.Log(1 - _random.NextDouble());
        return sum;
    }
}
