namespace Whetstone.Agents.Formats;

/// <summary>
/// A record (one JSON object) that does not fit its format: a field is missing, has the wrong type or a value that is
/// not allowed. <see cref="Field"/> is a path such as <c>messages[3].tool_calls[0].function.name</c>.
/// </summary>
public class FormatFieldException : FormatException
{
    /// <summary>Creates the error for <paramref name="field"/>.</summary>
    /// <param name="field">Path of the offending field inside the record.</param>
    /// <param name="problem">What is wrong with it.</param>
    public FormatFieldException(string field, string problem)
        : base($"{field}: {problem}")
    {
        Field = field;
        Problem = problem;
    }

    /// <summary>Path of the offending field inside the record.</summary>
    public string Field { get; }

    /// <summary>What is wrong with it, without the field path.</summary>
    public string Problem { get; }
}

/// <summary>
/// A malformed line of a JSONL file. The message reads <c>file:line: field: problem</c> so that editors and terminals
/// can jump to it.
/// </summary>
public sealed class JsonlFormatException : FormatException
{
    /// <summary>Creates the error for <paramref name="field"/> on line <paramref name="line"/> of <paramref name="file"/>.</summary>
    /// <param name="file">The file, as the user named it.</param>
    /// <param name="line">1-based line number.</param>
    /// <param name="field">Path of the offending field, or <c>(line)</c> when the line is not a JSON object at all.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public JsonlFormatException(string file, int line, string field, string problem, Exception? inner = null)
        : base($"{file}:{line}: {field}: {problem}", inner)
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    /// <summary>The file, as the user named it.</summary>
    public string File { get; }

    /// <summary>1-based line number.</summary>
    public int Line { get; }

    /// <summary>Path of the offending field.</summary>
    public string Field { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
