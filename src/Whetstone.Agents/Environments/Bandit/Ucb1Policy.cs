namespace Whetstone.Agents.Environments.Bandit;

/// <summary>
/// The UCB1 baseline (Auer et al., 2002): pull every arm once, then the arm maximising
/// mean + sqrt(2 ln t / n). Ties go to the lowest arm. It reads only observed counts and payoffs.
/// </summary>
/// <param name="environment">The instance to play.</param>
public sealed class Ucb1Policy(BanditEnvironment environment) : BanditPolicy(environment)
{
    /// <inheritdoc />
    protected override int ChooseArm()
    {
        var counts = Environment.PullCounts;
        for (var a = 0; a < counts.Count; a++)
        {
            if (counts[a] == 0)
                return a;
        }
        var t = Environment.PullsMade;
        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var a = 0; a < counts.Count; a++)
        {
            var score = (double)Environment.PayoffSums[a] / counts[a] + Math.Sqrt(2 * Math.Log(t) / counts[a]);
            if (score > bestScore)
            {
                bestScore = score;
                best = a;
            }
        }
        return best;
    }
}
