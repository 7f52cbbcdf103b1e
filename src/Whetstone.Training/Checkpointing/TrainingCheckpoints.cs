using Whetstone.Models.Checkpoints;
using static Whetstone.Training.Checkpointing.CheckpointLayout;

namespace Whetstone.Training.Checkpointing;

/// <summary>
/// The checkpoints of one run, in <c>run_dir/checkpoints/step-NNNNNN/</c>. <see cref="Save"/> writes a new one
/// into a <c>.partial</c> folder, finishes it with its manifest, renames it into place, points <c>latest</c> at it
/// and only then deletes the oldest beyond <see cref="KeepLast"/>. <see cref="TryResume"/> restores the newest
/// checkpoint that is complete and intact, skipping (with a warning) any that a crash interrupted or that fail
/// validation. A process killed at any instant therefore leaves at least the previous complete checkpoint.
/// </summary>
public sealed class TrainingCheckpoints
{
    /// <summary>Opens (without creating) the checkpoints of the run in <paramref name="runDirectory"/>.</summary>
    /// <param name="runDirectory">The run's output folder; checkpoints live in its <c>checkpoints</c> subfolder.</param>
    /// <param name="keepLast">How many complete checkpoints to keep (≥ 1).</param>
    public TrainingCheckpoints(string runDirectory, int keepLast = 3)
    {
        ArgumentException.ThrowIfNullOrEmpty(runDirectory);
        if (keepLast < 1) throw new ArgumentOutOfRangeException(nameof(keepLast), $"keepLast must be ≥ 1, got {keepLast}.");
        Directory = Path.Combine(Path.GetFullPath(runDirectory), CheckpointsFolder);
        KeepLast = keepLast;
    }

    /// <summary>The folder that holds the <c>step-N</c> checkpoints and the <c>latest</c> pointer.</summary>
    public string Directory { get; }

    /// <summary>How many complete checkpoints rotation keeps.</summary>
    public int KeepLast { get; }

    /// <summary>The path of the <c>latest</c> pointer file, which holds the newest complete checkpoint's folder name.</summary>
    public string LatestPointerPath => Path.Combine(Directory, LatestPointer);

    /// <summary>Path of the checkpoint folder for <paramref name="step"/>.</summary>
    /// <param name="step">Optimizer steps completed.</param>
    public string PathOf(long step) => Path.Combine(Directory, FolderName(step));

    /// <summary>
    /// Saves the state after <paramref name="step"/> completed optimizer steps. Checks every weight and moment for
    /// NaN/Inf first and throws <see cref="TrainingDivergedException"/> without writing anything if one is found.
    /// </summary>
    /// <param name="step">Optimizer steps completed.</param>
    /// <param name="state">Parameters, optimizer and RNGs to save.</param>
    /// <param name="data">Where the next batch starts.</param>
    /// <param name="configJson">Snapshot of the training config (hashed into the manifest), or null.</param>
    /// <returns>The complete checkpoint folder.</returns>
    public string Save(long step, TrainingState state, DataPosition data, string? configJson = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(data);
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), $"step must be ≥ 0, got {step}.");
        data.Validate();
        System.IO.Directory.CreateDirectory(Directory);
        RemoveLeftovers();

        var final = PathOf(step);
        var partial = Path.Combine(Directory, "." + FolderName(step) + PartialSuffix);
        if (System.IO.Directory.Exists(partial)) System.IO.Directory.Delete(partial, recursive: true);
        try
        {
            TrainingCheckpointWriter.Write(partial, step, state, data, configJson);
        }
        catch
        {
            if (System.IO.Directory.Exists(partial)) System.IO.Directory.Delete(partial, recursive: true);
            throw;
        }
        // A folder for this step can only be an interrupted or superseded save (e.g. one past the point a
        // resume fell back to); the new one is complete, so replace it.
        if (System.IO.Directory.Exists(final)) Discard(final);
        System.IO.Directory.Move(partial, final);
        AtomicFile.WriteAllText(LatestPointerPath, FolderName(step) + "\n");
        Rotate(newest: step);
        return final;
    }

    /// <summary>Steps and folders of the checkpoints that have a manifest, oldest first (contents are not verified).</summary>
    public IReadOnlyList<(long Step, string Path)> CompleteCheckpoints() =>
        StepFolders().Where(f => TrainingCheckpointReader.IsComplete(f.Path)).ToList();

    /// <summary>
    /// Restores the newest complete, intact checkpoint into <paramref name="state"/>. Incomplete checkpoints (no
    /// manifest) and corrupt ones are skipped with a warning, falling back to the one before.
    /// </summary>
    /// <param name="state">The live state to overwrite; it is untouched when no checkpoint validates.</param>
    /// <param name="warn">Receives each warning (default: standard error).</param>
    /// <returns>The restored position, or null when the run has no usable checkpoint (start from scratch).</returns>
    public ResumePoint? TryResume(TrainingState state, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        warn ??= Console.Error.WriteLine;
        PromoteFinishedPartials();
        var skipped = new List<string>();
        foreach (var (step, path) in StepFolders().Reverse())
        {
            string problem;
            if (!TrainingCheckpointReader.IsComplete(path))
                problem = $"Skipping checkpoint {path}: it has no {Manifest}, so it was interrupted while being written.";
            else
            {
                try
                {
                    var point = TrainingCheckpointReader.Load(path, state);
                    foreach (var w in point.Warnings) warn(w);
                    return point with { Warnings = [.. skipped, .. point.Warnings] };
                }
                catch (CorruptCheckpointException e)
                {
                    problem = $"Skipping checkpoint {path} (step {step}): {e.Message} Falling back to the previous checkpoint.";
                }
            }
            warn(problem);
            skipped.Add(problem);
        }
        return null;
    }

    /// <summary>Validates and restores the checkpoint in <paramref name="checkpointDirectory"/>, with no fallback.</summary>
    /// <param name="checkpointDirectory">A <c>step-N</c> folder.</param>
    /// <param name="state">The live state to overwrite.</param>
    /// <exception cref="CorruptCheckpointException">The checkpoint is incomplete or fails validation; the message names the file.</exception>
    public static ResumePoint Load(string checkpointDirectory, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return TrainingCheckpointReader.Load(Path.GetFullPath(checkpointDirectory), state);
    }

    /// <summary>
    /// Checks a checkpoint's weights without loading anything: reads its manifest and compares the size and SHA-256 of
    /// every weights file it lists (<c>model.safetensors</c>, or the shard index and its shards) with the recorded ones.
    /// The optimizer and trainer-state files are not read, so exporting the weights does not depend on them.
    /// </summary>
    /// <param name="checkpointDirectory">A <c>step-N</c> folder.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="CorruptCheckpointException">The manifest is missing or malformed, or a weights file is missing,
    /// truncated or altered; the message names the file.</exception>
    public static CheckpointManifest VerifyWeights(string checkpointDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointDirectory);
        var directory = Path.GetFullPath(checkpointDirectory);
        var manifest = TrainingCheckpointReader.ReadManifest(directory);
        TrainingCheckpointReader.VerifyWeights(directory, manifest);
        return manifest;
    }

    /// <summary>
    /// The SHA-256 (lower-case hex) that <see cref="Save"/> records for <paramref name="configJson"/>: compare it with
    /// <see cref="ResumePoint.ConfigSha256"/> to tell whether a resumed run uses the config it was saved with.
    /// </summary>
    /// <param name="configJson">The config snapshot text.</param>
    public static string ConfigHash(string configJson)
    {
        ArgumentNullException.ThrowIfNull(configJson);
        return TrainingCheckpointWriter.Sha256Hex(System.Text.Encoding.UTF8.GetBytes(configJson));
    }

    private IEnumerable<(long Step, string Path)> StepFolders()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        return System.IO.Directory.EnumerateDirectories(Directory)
            .Select(d => (Step: ParseStep(Path.GetFileName(d)), Path: d))
            .Where(d => d.Step is not null)
            .Select(d => (d.Step!.Value, d.Path))
            .OrderBy(d => d.Value)
            .ToList();
    }

    /// <summary>Deletes the oldest complete checkpoints beyond <see cref="KeepLast"/> and incomplete ones older than the newest.</summary>
    private void Rotate(long newest)
    {
        var folders = StepFolders().Where(f => f.Step <= newest).ToList();
        foreach (var (step, path) in folders)
            if (step < newest && !TrainingCheckpointReader.IsComplete(path)) Discard(path);
        var complete = folders.Where(f => f.Step == newest || TrainingCheckpointReader.IsComplete(f.Path)).ToList();
        foreach (var (_, path) in complete.Take(Math.Max(0, complete.Count - KeepLast))) Discard(path);
    }

    /// <summary>
    /// A save killed between replacing an older folder of the same step and renaming its finished
    /// <c>.partial</c> folder into place leaves the only copy of that checkpoint in the <c>.partial</c> folder;
    /// a manifest there proves it complete, so finish the rename.
    /// </summary>
    private void PromoteFinishedPartials()
    {
        if (!System.IO.Directory.Exists(Directory)) return;
        foreach (var d in System.IO.Directory.EnumerateDirectories(Directory).ToList())
        {
            var name = Path.GetFileName(d);
            if (!name.StartsWith('.') || !name.EndsWith(PartialSuffix, StringComparison.Ordinal)) continue;
            var folder = name[1..^PartialSuffix.Length];
            if (ParseStep(folder) is null || !TrainingCheckpointReader.IsComplete(d)) continue;
            var final = Path.Combine(Directory, folder);
            if (!System.IO.Directory.Exists(final)) System.IO.Directory.Move(d, final);
        }
    }

    /// <summary>Removes folders a killed process left half written or half deleted.</summary>
    private void RemoveLeftovers()
    {
        PromoteFinishedPartials();
        foreach (var d in System.IO.Directory.EnumerateDirectories(Directory))
        {
            var name = Path.GetFileName(d);
            if (name.StartsWith('.') && (name.EndsWith(PartialSuffix, StringComparison.Ordinal) || name.EndsWith(DeletingSuffix, StringComparison.Ordinal)))
                System.IO.Directory.Delete(d, recursive: true);
        }
    }

    /// <summary>
    /// Deletes a checkpoint folder so that it is never seen half deleted: rename it out of the <c>step-N</c>
    /// namespace first, then delete.
    /// </summary>
    private void Discard(string path)
    {
        var doomed = Path.Combine(Directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + DeletingSuffix);
        System.IO.Directory.Move(path, doomed);
        System.IO.Directory.Delete(doomed, recursive: true);
    }
}
