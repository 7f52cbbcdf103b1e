namespace Whetstone.Training.Checkpointing;

/// <summary>A training checkpoint that cannot be trusted: a file is missing, truncated, altered or inconsistent with the run.</summary>
public sealed class CorruptCheckpointException : Exception
{
    /// <summary>Creates the exception; the message names <paramref name="filePath"/> and the problem.</summary>
    /// <param name="filePath">The offending file.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public CorruptCheckpointException(string filePath, string problem, Exception? inner = null)
        : base($"Corrupt training checkpoint file {filePath}: {problem}", inner)
    {
        FilePath = filePath;
    }

    /// <summary>The file that failed validation.</summary>
    public string FilePath { get; }
}
