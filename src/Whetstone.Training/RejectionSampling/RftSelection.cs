using System.Text;
using System.Text.Json;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Training.RejectionSampling;

/// <summary>
/// The "rejection" of rejection sampling: which sampled trajectories become training data. Kept = the episode was
/// scored (not an infrastructure error) and succeeded; duplicates — the same task solved with the same sequence of
/// actions — are kept once, so an easy task solved k times identically does not outweigh the rest k to 1.
/// </summary>
public static class RftSelection
{
    /// <summary>True for a trajectory worth imitating: scored and successful.</summary>
    public static bool IsKept(Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        return trajectory.Status != EpisodeStatus.InfrastructureError && trajectory.Success == true;
    }

    /// <summary>
    /// The kept trajectories of <paramref name="sampled"/> in order, minus those whose <see cref="DeduplicationKey"/>
    /// is already in <paramref name="seen"/> (which is extended with the new keys), at most
    /// <paramref name="maxPerTask"/> per task (0: no limit).
    /// </summary>
    public static IReadOnlyList<Trajectory> Select(IEnumerable<Trajectory> sampled, ISet<string>? seen = null, int maxPerTask = 0)
    {
        ArgumentNullException.ThrowIfNull(sampled);
        seen ??= new HashSet<string>(StringComparer.Ordinal);
        var perTask = new Dictionary<string, int>(StringComparer.Ordinal);
        var kept = new List<Trajectory>();
        foreach (var t in sampled)
        {
            if (!IsKept(t)) continue;
            string task = t.TaskId ?? t.Id;
            if (maxPerTask > 0 && perTask.GetValueOrDefault(task) >= maxPerTask) continue;
            if (!seen.Add(DeduplicationKey(t))) continue;
            perTask[task] = perTask.GetValueOrDefault(task) + 1;
            kept.Add(t);
        }
        return kept;
    }

    /// <summary>
    /// The task id and the agent's actions in order — content, reasoning, each tool call's name and arguments
    /// (JSON re-serialised compactly, so whitespace does not matter), malformed calls' raw text — without tool-call
    /// ids, which differ between otherwise identical samples. Observations are left out: the environment's answers
    /// to the same actions on the same task are the same.
    /// </summary>
    public static string DeduplicationKey(Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        var sb = new StringBuilder(trajectory.TaskId ?? trajectory.Id);
        foreach (var step in trajectory.Steps)
        {
            if (step is not ActionStep a) continue;
            var act = a.Action;
            sb.Append('\u001e').Append(act.Reasoning).Append('\u001f').Append(act.Content);
            foreach (var call in act.ToolCalls) sb.Append('\u001f').Append(call.Name).Append('(').Append(Canonical(call.ArgumentsJson)).Append(')');
            foreach (var bad in act.MalformedToolCalls) sb.Append('\u001f').Append("!malformed:").Append(bad.RawText);
            if (act.Code is { } code) sb.Append('\u001f').Append(code.Language).Append(':').Append(code.Source);
        }
        return sb.ToString();
    }

    private static string Canonical(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(doc.RootElement);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
