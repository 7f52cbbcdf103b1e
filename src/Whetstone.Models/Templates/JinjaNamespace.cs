namespace Whetstone.Models.Templates;

/// <summary>
/// The object <c>namespace(a=1)</c> returns: the one mutable thing in a template, because
/// <c>{% set ns.a = … %}</c> inside a loop must outlive the loop's scope.
/// </summary>
internal sealed class JinjaNamespace
{
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}
