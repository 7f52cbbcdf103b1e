using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Evaluation;

/// <summary>Turns a set of trajectories (typically one rollout of a policy on a test split) into an <see cref="EvaluationReport"/>.</summary>
public static class TrajectoryEvaluator
{
    /// <summary>
    /// Evaluates <paramref name="trajectories"/>. Infrastructure errors are counted and left out of every statistic.
    /// pass@k is reported for <paramref name="ks"/> (default: 1, 2, 4, … up to the most samples of any task, and that
    /// number itself) whenever some task has more than one scored sample.
    /// </summary>
    public static EvaluationReport Evaluate(IEnumerable<Trajectory> trajectories, string? policy = null, string? split = null, IReadOnlyList<int>? ks = null)
    {
        ArgumentNullException.ThrowIfNull(trajectories);
        var all = trajectories.ToList();
        var scored = all.Where(t => t.Status != EpisodeStatus.InfrastructureError).ToList();

        int successes = scored.Count(t => t.Success == true);
        var rewards = scored.Select(t => t.Reward ?? 0.0).ToList();
        int attempted = 0, invalid = 0;
        long turns = 0;
        foreach (var t in scored)
        {
            var tally = ToolCallTally.Of(t);
            attempted += tally.Attempted;
            invalid += tally.Invalid;
            turns += t.Steps.Count(s => s is ActionStep);
        }

        var byTask = scored.GroupBy(t => t.TaskId ?? t.Id).Select(g => (N: g.Count(), C: g.Count(t => t.Success == true))).ToList();
        var passAtK = new Dictionary<int, double>();
        int maxSamples = byTask.Count == 0 ? 0 : byTask.Max(g => g.N);
        if (maxSamples > 1 || ks is not null)
        {
            foreach (int k in ks ?? DefaultKs(maxSamples))
            {
                var eligible = byTask.Where(g => g.N >= k).ToList();
                if (eligible.Count > 0)
                    passAtK[k] = eligible.Average(g => PassAtK.Estimate(g.N, g.C, k));
            }
        }

        var metricSums = new SortedDictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);
        foreach (var t in scored)
            foreach (var (name, value) in t.Metrics)
            {
                var (sum, count) = metricSums.GetValueOrDefault(name);
                metricSums[name] = (sum + value, count + 1);
            }

        return new EvaluationReport
        {
            Environment = string.Join(",", all.Select(t => t.Environment).Where(e => e is not null).Distinct()),
            Policy = policy,
            Split = split,
            Episodes = scored.Count,
            Tasks = byTask.Count,
            InfrastructureErrors = all.Count - scored.Count,
            Truncated = scored.Count(t => t.Status == EpisodeStatus.Truncated),
            Successes = successes,
            SuccessRate = scored.Count == 0 ? 0 : (double)successes / scored.Count,
            SuccessInterval = WilsonScoreInterval.Compute(successes, scored.Count),
            Reward = MeanEstimate.Of(rewards),
            MeanTurns = scored.Count == 0 ? 0 : (double)turns / scored.Count,
            ToolCalls = attempted,
            InvalidToolCalls = invalid,
            InvalidToolCallRate = attempted == 0 ? 0 : (double)invalid / attempted,
            PassAtK = passAtK,
            Metrics = metricSums.ToDictionary(p => p.Key, p => p.Value.Sum / p.Value.Count),
        };
    }

    private static IEnumerable<int> DefaultKs(int maxSamples)
    {
        int k = 1;
        for (; k < maxSamples; k *= 2)
            yield return k;
        yield return maxSamples;
    }
}
