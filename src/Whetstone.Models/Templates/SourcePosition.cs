namespace Whetstone.Models.Templates;

/// <summary>A 1-based line and column in the (newline-normalised) template source.</summary>
internal readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";

    public TemplateException Error(string message) => new(message, Line, Column);
}
