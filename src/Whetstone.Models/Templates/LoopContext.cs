namespace Whetstone.Models.Templates;

/// <summary>The <c>loop</c> variable inside a for-loop: position, neighbours and <c>cycle</c>.</summary>
internal sealed class LoopContext(IReadOnlyList<object?> items, int depth)
{
    public int Index0 { get; set; }

    /// <summary>Attribute lookup for <c>loop.xxx</c>; unknown names are undefined, as in Jinja.</summary>
    public object? Get(string name) => name switch
    {
        "index" => (long)(Index0 + 1),
        "index0" => (long)Index0,
        "revindex" => (long)(items.Count - Index0),
        "revindex0" => (long)(items.Count - Index0 - 1),
        "first" => Index0 == 0,
        "last" => Index0 == items.Count - 1,
        "length" => (long)items.Count,
        "depth" => (long)depth,
        "depth0" => (long)(depth - 1),
        "previtem" => Index0 > 0 ? items[Index0 - 1] : new Undefined("there is no previous item"),
        "nextitem" => Index0 + 1 < items.Count ? items[Index0 + 1] : new Undefined("there is no next item"),
        "cycle" => new JinjaFunction("loop.cycle", (args, _) =>
            args.Count == 0 ? throw new TemplateException("loop.cycle() needs at least one argument") : args[Index0 % args.Count]),
        _ => new Undefined($"'LoopContext' object has no attribute '{name}'"),
    };
}
