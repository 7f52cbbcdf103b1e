using System.Globalization;
using Whetstone.Training.Checkpointing;

namespace Whetstone.Training.Export;

/// <summary>
/// Finds the <c>checkpoints/step-N</c> folder an export reads: the one <c>checkpoints/latest</c> names, or a given
/// step. When it is not there, the error lists the steps that have a complete checkpoint so the next try can pick one.
/// </summary>
internal static class RunCheckpointFolder
{
    /// <summary>The step and folder to export; <paramref name="step"/> null means the latest.</summary>
    /// <exception cref="CheckpointExportException">The run, its checkpoints or the step is missing.</exception>
    public static (long Step, string Directory) Resolve(string runDirectory, long? step)
    {
        if (!Directory.Exists(runDirectory))
            throw new CheckpointExportException($"run directory not found: {runDirectory}");
        var checkpoints = new TrainingCheckpoints(runDirectory);
        if (!Directory.Exists(checkpoints.Directory))
            throw NoCheckpointsFolder(runDirectory, checkpoints.Directory);

        if (step is { } wanted)
        {
            var folder = checkpoints.PathOf(wanted);
            if (Directory.Exists(folder)) return (wanted, folder);
            throw new CheckpointExportException($"no checkpoint for step {wanted}: {folder} does not exist. {Available(checkpoints)}");
        }

        // `latest` is rewritten atomically after each complete save, so it names the newest checkpoint a reader may trust.
        var pointer = checkpoints.LatestPointerPath;
        if (!File.Exists(pointer))
            throw new CheckpointExportException($"{pointer} is missing, so the latest checkpoint is unknown. {Available(checkpoints)} Choose one with --step N.");
        var name = File.ReadAllText(pointer).Trim();
        var latest = CheckpointLayout.ParseStep(name)
            ?? throw new CheckpointExportException($"{pointer} holds '{name}', not a checkpoint folder name such as step-000120. {Available(checkpoints)}");
        var latestFolder = checkpoints.PathOf(latest);
        if (!Directory.Exists(latestFolder))
            throw new CheckpointExportException($"{pointer} names {name}, but {latestFolder} does not exist. {Available(checkpoints)}");
        return (latest, latestFolder);
    }

    private static string Available(TrainingCheckpoints checkpoints)
    {
        var steps = checkpoints.CompleteCheckpoints().Select(c => c.Step.ToString(CultureInfo.InvariantCulture)).ToList();
        return steps.Count == 0
            ? $"{checkpoints.Directory} holds no complete checkpoint."
            : $"Steps with a complete checkpoint in {checkpoints.Directory}: {string.Join(", ", steps)}.";
    }

    /// <summary>RFT runs keep each round's checkpoints in round-N/checkpoints; point there rather than just saying "none".</summary>
    private static CheckpointExportException NoCheckpointsFolder(string runDirectory, string checkpointsFolder)
    {
        var rounds = Directory.EnumerateDirectories(runDirectory, "round-*")
            .Where(d => Directory.Exists(Path.Combine(d, CheckpointLayout.CheckpointsFolder)))
            .Select(d => Path.GetFileName(d)!)
            .OrderBy(n => int.TryParse(n.AsSpan("round-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int r) ? r : int.MaxValue)
            .ToList();
        if (rounds.Count > 0)
            return new CheckpointExportException(
                $"{runDirectory} has no checkpoints folder; it looks like an RFT run, which keeps each round's checkpoints in " +
                $"round-N/checkpoints: pass --run {Path.Combine(runDirectory, rounds[^1])} (rounds: {string.Join(", ", rounds)}).");
        return new CheckpointExportException(
            $"no checkpoints in {runDirectory}: {checkpointsFolder} does not exist (the run saved none, e.g. save_every: 0, or this is not a training run directory).");
    }
}
