using Whetstone.Agents.Formats;

namespace Whetstone.Training.Reporting.Data;

/// <summary>
/// Picks sample trajectories from <c>samples.jsonl</c> and <c>trajectories/*.jsonl</c> (native Whetstone JSONL), in
/// that order and files sorted by name: the first N successes and the first N failures. It stops reading once both
/// are found, so a long rollout file costs only the lines it needs.
/// </summary>
internal static class SampleReader
{
    /// <summary>The picked samples, successes first; null when no sample file exists.</summary>
    /// <exception cref="JsonlFormatException">A line read is malformed.</exception>
    public static List<SampleTrajectory>? Read(string directory, int perOutcome, List<(string, string)> sources)
    {
        var files = new List<string>();
        var single = Path.Combine(directory, "samples.jsonl");
        if (File.Exists(single)) files.Add(single);
        var folder = Path.Combine(directory, "trajectories");
        if (Directory.Exists(folder))
            files.AddRange(Directory.GetFiles(folder, "*.jsonl").Order(StringComparer.Ordinal));
        if (files.Count == 0)
        {
            sources.Add(("samples.jsonl / trajectories/*.jsonl", "not available"));
            return null;
        }

        var successes = new List<SampleTrajectory>();
        var failures = new List<SampleTrajectory>();
        foreach (var file in files)
        {
            if (successes.Count >= perOutcome && failures.Count >= perOutcome) break;
            var relative = Path.GetRelativePath(directory, file).Replace('\\', '/');
            foreach (var (line, trajectory) in TrajectoryJsonl.ReadWithLines(file))
            {
                var bucket = trajectory.Success == true ? successes : failures;
                if (bucket.Count < perOutcome) bucket.Add(new SampleTrajectory(trajectory, relative, line));
                if (successes.Count >= perOutcome && failures.Count >= perOutcome) break;
            }
        }
        sources.Add(("samples.jsonl / trajectories/*.jsonl",
            $"{RunDirectoryReader.Count(files.Count, "file")}; showing {successes.Count} solved and {failures.Count} unsolved"));
        return [.. successes, .. failures];
    }
}
