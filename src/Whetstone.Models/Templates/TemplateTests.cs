namespace Whetstone.Models.Templates;

/// <summary>
/// Jinja's tests (<c>x is name</c>, <c>x is name(arg)</c>): type tests, comparisons, defined/none,
/// divisibility. Names are checked when the template is parsed, so a missing one fails early.
/// </summary>
internal static class TemplateTests
{
    public static readonly HashSet<string> Names =
    [
        "defined", "undefined", "none", "boolean", "true", "false", "integer", "float", "number", "string",
        "mapping", "sequence", "iterable", "callable", "odd", "even", "divisibleby", "eq", "equalto", "==",
        "ne", "!=", "lt", "lessthan", "<", "le", "<=", "gt", "greaterthan", ">", "ge", ">=", "in", "sameas",
        "lower", "upper", "escaped", "filter", "test",
    ];

    public static bool Apply(string name, object? v, IReadOnlyList<object?> args)
    {
        object? Arg0() => args.Count > 0 ? args[0] : throw new TemplateException($"test '{name}' needs an argument");
        return name switch
        {
            "defined" => v is not Undefined,
            "undefined" => v is Undefined,
            "none" => v is null,
            "boolean" => v is bool,
            "true" => v is true,
            "false" => v is false,
            "integer" => v is long,
            "float" => v is double,
            "number" => v is long or double or bool,
            "string" => v is string,
            "mapping" => v is OrderedDictionary<string, object?>,
            "sequence" => v is string or IList<object?> or OrderedDictionary<string, object?> or Undefined,
            "iterable" => v is string or IList<object?> or OrderedDictionary<string, object?> or Undefined,
            "callable" => v is JinjaFunction,
            "odd" => PyValue.PyEquals(PyOperators.Arithmetic("%", v, 2L), 1L),
            "even" => PyValue.PyEquals(PyOperators.Arithmetic("%", v, 2L), 0L),
            "divisibleby" => PyValue.PyEquals(PyOperators.Arithmetic("%", v, Arg0()), 0L),
            "eq" or "equalto" or "==" => PyValue.PyEquals(v, Arg0()),
            "ne" or "!=" => !PyValue.PyEquals(v, Arg0()),
            "lt" or "lessthan" or "<" => PyValue.Compare(v, Arg0(), "<") < 0,
            "le" or "<=" => PyValue.Compare(v, Arg0(), "<=") <= 0,
            "gt" or "greaterthan" or ">" => PyValue.Compare(v, Arg0(), ">") > 0,
            "ge" or ">=" => PyValue.Compare(v, Arg0(), ">=") >= 0,
            "in" => PyOperators.Contains(Arg0(), v),
            "sameas" => SameAs(v, Arg0()),
            "lower" => IsLower(PyValue.ToStr(v)),
            "upper" => IsUpper(PyValue.ToStr(v)),
            "escaped" => false,
            "filter" => v is string f && TemplateFilters.Names.Contains(f),
            "test" => v is string t && Names.Contains(t),
            _ => throw new TemplateException($"unsupported test '{name}'"),
        };
    }

    // Python str.islower/isupper: at least one cased character and none of the other case.
    public static bool IsLower(string s) => s.Any(char.IsLower) && !s.Any(char.IsUpper);

    public static bool IsUpper(string s) => s.Any(char.IsUpper) && !s.Any(char.IsLower);

    // Python "is": singletons (None, True, False) by value, everything else by reference.
    private static bool SameAs(object? a, object? b) => a switch
    {
        null => b is null,
        bool x => b is bool y && x == y,
        long x => b is long y && x == y,
        _ => ReferenceEquals(a, b),
    };
}
