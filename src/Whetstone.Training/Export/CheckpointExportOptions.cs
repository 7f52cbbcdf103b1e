namespace Whetstone.Training.Export;

/// <summary>What <see cref="CheckpointExporter.Export"/> reads and where it writes.</summary>
public sealed record CheckpointExportOptions
{
    /// <summary>The run's output directory (holds checkpoints/, config.json and, once finished, final/).</summary>
    public required string RunDirectory { get; init; }

    /// <summary>The step to export (folder <c>checkpoints/step-NNNNNN</c>), or null for the one <c>checkpoints/latest</c> names.</summary>
    public long? Step { get; init; }

    /// <summary>The model directory to create.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Replace <see cref="OutputDirectory"/> when it exists and is not empty (otherwise that is an error).</summary>
    public bool Force { get; init; }
}
