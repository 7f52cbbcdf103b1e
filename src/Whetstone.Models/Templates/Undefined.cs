namespace Whetstone.Models.Templates;

/// <summary>
/// Jinja's default <c>Undefined</c>: what a missing variable, attribute or item evaluates to. It is
/// falsy, prints as the empty string, iterates as empty and has length 0; using it any other way
/// (attribute access, arithmetic, tojson) fails with <see cref="Hint"/> in the message.
/// </summary>
internal sealed class Undefined
{
    public static readonly Undefined Anonymous = new("value is undefined");

    public Undefined(string hint) => Hint = hint;

    /// <summary>Why the value is undefined, in Jinja's words (e.g. "'dict object' has no attribute 'x'").</summary>
    public string Hint { get; }

    public override string ToString() => "";
}
