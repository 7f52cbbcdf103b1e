namespace Whetstone.Training.Checkpointing;

/// <summary>
/// The last file of a training checkpoint. Its presence marks the checkpoint complete; it lists every other
/// file with its size and SHA-256 so that a resume can prove the files are the ones that were written.
/// </summary>
/// <param name="Step">Optimizer steps completed when the checkpoint was taken.</param>
/// <param name="CreatedUtc">When it was written.</param>
/// <param name="ConfigSha256">SHA-256 (hex) of the training config snapshot, or null when none was given.</param>
/// <param name="Files">Every file of the checkpoint except the manifest itself.</param>
public sealed record CheckpointManifest(long Step, DateTimeOffset CreatedUtc, string? ConfigSha256, IReadOnlyList<CheckpointFile> Files)
{
    /// <summary>The <c>format</c> field that identifies a Whetstone training checkpoint manifest.</summary>
    public const string Format = "whetstone.training_checkpoint";

    /// <summary>The layout version this code writes and reads.</summary>
    public const int Version = 1;
}

/// <summary>One file of a checkpoint as the manifest records it.</summary>
/// <param name="Name">File name relative to the checkpoint folder.</param>
/// <param name="Bytes">Its length.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of its content.</param>
public sealed record CheckpointFile(string Name, long Bytes, string Sha256);
