namespace Whetstone.Training.Checkpointing;

/// <summary>What a resume restored, for the trainer to continue from.</summary>
/// <param name="Step">Optimizer steps already completed; the next step to run is this one (0-based).</param>
/// <param name="Data">Where to continue reading data.</param>
/// <param name="Directory">The checkpoint folder that was loaded.</param>
/// <param name="ConfigSha256">SHA-256 of the config snapshot saved with it, or null.</param>
/// <param name="ConfigJson">The config snapshot saved with it, or null.</param>
/// <param name="Warnings">Everything that did not stop the resume but deserves a look (skipped checkpoints, changed hyper-parameters).</param>
public sealed record ResumePoint(long Step, DataPosition Data, string Directory, string? ConfigSha256, string? ConfigJson,
    IReadOnlyList<string> Warnings);
