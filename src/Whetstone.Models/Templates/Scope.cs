namespace Whetstone.Models.Templates;

/// <summary>
/// One level of variable scope. The template, each for-loop iteration, each macro call and each
/// with-block get their own; if-blocks do not, which is why templates need namespace() to carry
/// values out of a loop.
/// </summary>
internal sealed class Scope(Scope? parent)
{
    private readonly Dictionary<string, object?> _vars = new(StringComparer.Ordinal);

    public Scope? Parent { get; } = parent;

    public bool TryGet(string name, out object? value)
    {
        for (var s = this; s != null; s = s.Parent)
            if (s._vars.TryGetValue(name, out value)) return true;
        value = null;
        return false;
    }

    public void Set(string name, object? value) => _vars[name] = value;
}
