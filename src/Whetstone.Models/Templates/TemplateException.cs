namespace Whetstone.Models.Templates;

/// <summary>
/// A chat template failed to parse or render. The message names the construct and, where known,
/// its position in the template source as line:column (1-based).
/// </summary>
public sealed class TemplateException : Exception
{
    /// <summary>Creates the exception; <paramref name="line"/> and <paramref name="column"/> are 1-based, 0 when unknown.</summary>
    public TemplateException(string message, int line = 0, int column = 0, Exception? inner = null)
        : base(line > 0 ? $"{message} (template line {line}:{column})" : message, inner)
    {
        Line = line;
        Column = column;
        Reason = message;
    }

    /// <summary>1-based line of the offending construct in the template source, or 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>1-based column of the offending construct in the template source, or 0 when unknown.</summary>
    public int Column { get; }

    /// <summary>The message without the position suffix.</summary>
    public string Reason { get; }
}
