namespace Whetstone.Training.Export;

/// <summary>
/// Creates an export's output directory all at once: the files are written into a hidden staging folder beside it, and
/// only a complete folder is renamed into place, so a crash or an error never leaves a half-written model directory
/// that <c>whet eval</c> or <c>whet serve</c> would try to load.
/// </summary>
internal static class ExportDirectory
{
    /// <summary>Refuses an output that would be overwritten without <paramref name="force"/> or that holds the run itself.
    /// Called before any work, so a wrong <c>--out</c> fails at once.</summary>
    /// <exception cref="CheckpointExportException">The output cannot be used.</exception>
    public static void CheckTarget(string output, string runDirectory, bool force)
    {
        if (File.Exists(output))
            throw new CheckpointExportException($"the output {output} is a file, not a directory.");
        if (IsSameOrInside(runDirectory, output))
            throw new CheckpointExportException(
                $"the output {output} holds the run directory {runDirectory}; replacing it would delete the checkpoint being exported. Choose another directory.");
        if (!force && IsNonEmptyDirectory(output))
            throw new CheckpointExportException($"the output {output} exists and is not empty; pass --force to replace it.");
    }

    /// <summary>An empty staging folder beside <paramref name="output"/> (same file system, so the final rename is atomic).</summary>
    public static string CreateStaging(string output)
    {
        var parent = Path.GetDirectoryName(output) ?? throw new CheckpointExportException($"the output {output} has no parent directory.");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(output)}.export-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        return staging;
    }

    /// <summary>Renames the finished <paramref name="staging"/> folder to <paramref name="output"/>, replacing an existing
    /// one only with <paramref name="force"/> (the old folder is moved aside first and restored if the rename fails).</summary>
    public static void Publish(string staging, string output, bool force)
    {
        string? replaced = null;
        if (IsNonEmptyDirectory(output))
        {
            // Checked again: something may have written there while the export ran.
            if (!force) throw new CheckpointExportException($"the output {output} exists and is not empty; pass --force to replace it.");
            replaced = Path.Combine(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}.replaced-{Guid.NewGuid():N}");
            Directory.Move(output, replaced);
        }
        else if (Directory.Exists(output))
            Directory.Delete(output);
        try
        {
            Directory.Move(staging, output);
        }
        catch
        {
            if (replaced is not null) Directory.Move(replaced, output);
            throw;
        }
        if (replaced is not null) Directory.Delete(replaced, recursive: true);
    }

    /// <summary>Deletes a staging folder after a failed export; a leftover would only waste space, so errors are ignored.</summary>
    public static void Discard(string staging)
    {
        try { Directory.Delete(staging, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static bool IsNonEmptyDirectory(string path) => Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any();

    private static bool IsSameOrInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || !(Path.IsPathRooted(relative) || relative == ".."
            || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }
}
