using Whetstone.Agents.Trajectories;

namespace Whetstone.Training.Dpo;

/// <summary>
/// ETO-style pair construction ("Trial and Error: Exploration-Based Trajectory Optimization for LLM Agents"): for
/// each task, a successful trajectory is preferred over each failed policy trajectory of the same task.
/// Infrastructure errors are never used (they say nothing about the policy).
/// </summary>
public static class PreferencePairs
{
    /// <summary>
    /// Pairs the failures in <paramref name="candidates"/> with successes of the same task (from
    /// <paramref name="candidates"/> and <paramref name="successes"/>, e.g. expert demonstrations), cycling through a
    /// task's successes; at most <paramref name="maxPairsPerTask"/> pairs per task (0: one per failure).
    /// </summary>
    /// <param name="candidates">Sampled policy trajectories, successful or not.</param>
    /// <param name="successes">Extra chosen trajectories (e.g. expert), used only when successful.</param>
    /// <param name="maxPairsPerTask">Cap per task; 0 keeps one pair per failure.</param>
    public static IReadOnlyList<PreferencePair> Build(IEnumerable<Trajectory> candidates, IEnumerable<Trajectory>? successes = null, int maxPairsPerTask = 0)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPairsPerTask);
        var winners = new Dictionary<string, List<Trajectory>>(StringComparer.Ordinal);
        var losers = new Dictionary<string, List<Trajectory>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var t in (successes ?? []).Concat(candidates))
        {
            if (t.Status == EpisodeStatus.InfrastructureError || t.TaskId is null) continue;
            if (!winners.ContainsKey(t.TaskId))
            {
                winners[t.TaskId] = [];
                losers[t.TaskId] = [];
                order.Add(t.TaskId);
            }
            (t.Success == true ? winners : losers)[t.TaskId].Add(t);
        }
        // Successes passed separately that are failures are not policy failures: drop them from the losers.
        var extra = new HashSet<Trajectory>(successes ?? [], ReferenceEqualityComparer.Instance);
        var pairs = new List<PreferencePair>();
        foreach (var task in order)
        {
            var win = winners[task];
            var lose = losers[task].Where(t => !extra.Contains(t)).ToList();
            if (win.Count == 0 || lose.Count == 0) continue;
            int n = maxPairsPerTask > 0 ? Math.Min(maxPairsPerTask, lose.Count) : lose.Count;
            for (int i = 0; i < n; i++) pairs.Add(new PreferencePair(win[i % win.Count], lose[i]));
        }
        return pairs;
    }
}
