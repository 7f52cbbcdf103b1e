namespace Whetstone.Models.Templates;

/// <summary>
/// A callable value: a global (range, namespace, raise_exception…), a bound string/dict method or
/// a macro. Arguments arrive already evaluated, positional and keyword.
/// </summary>
internal sealed class JinjaFunction(string name, Func<IReadOnlyList<object?>, IReadOnlyDictionary<string, object?>, object?> invoke)
{
    private static readonly IReadOnlyDictionary<string, object?> NoKeywords = new Dictionary<string, object?>();

    public string Name { get; } = name;

    public object? Invoke(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs = null) => invoke(args, kwargs ?? NoKeywords);
}
