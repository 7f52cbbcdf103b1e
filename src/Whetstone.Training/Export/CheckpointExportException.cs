namespace Whetstone.Training.Export;

/// <summary>
/// A checkpoint cannot be exported as asked: the step or run is missing, no model config or tokenizer was found, the
/// weights do not fit the config, or the output directory is taken. The message names the path and what was looked
/// for. A checkpoint whose files fail their manifest throws <see cref="Checkpointing.CorruptCheckpointException"/> instead.
/// </summary>
public sealed class CheckpointExportException : Exception
{
    /// <summary>Creates the exception with its user-facing <paramref name="message"/>.</summary>
    /// <param name="message">What is wrong, naming the file or folder.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public CheckpointExportException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
