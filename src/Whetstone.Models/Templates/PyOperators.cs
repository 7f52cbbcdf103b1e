using System.Text;

namespace Whetstone.Models.Templates;

/// <summary>Python's binary operators on template values: membership, arithmetic, repetition, printf.</summary>
internal static class PyOperators
{
    /// <summary>Python <c>item in container</c>.</summary>
    public static bool Contains(object? container, object? item) => container switch
    {
        string s => item is string sub ? s.Contains(sub, StringComparison.Ordinal)
            : throw new TemplateException($"'in <string>' requires string as left operand, not {PyValue.TypeName(item)}"),
        IList<object?> list => list.Any(x => PyValue.PyEquals(x, item)),
        OrderedDictionary<string, object?> dict => item is IList<object?> and not object?[] || item is OrderedDictionary<string, object?>
            ? throw new TemplateException($"unhashable type: '{PyValue.TypeName(item)}'")
            : item is string key && dict.ContainsKey(key),
        Undefined => false,
        JinjaNamespace ns => item is string k && ns.Attributes.ContainsKey(k),
        _ => throw new TemplateException($"argument of type '{PyValue.TypeName(container)}' is not iterable"),
    };

    /// <summary>Python arithmetic: + - * / // % ** with int/float promotion, str/list concatenation and repetition.</summary>
    public static object? Arithmetic(string op, object? l, object? r)
    {
        if (l is Undefined ul) throw new TemplateException(ul.Hint);
        if (r is Undefined ur) throw new TemplateException(ur.Hint);
        if (PyValue.IsNumber(l) && PyValue.IsNumber(r))
        {
            bool isFloat = l is double || r is double;
            if (!isFloat)
            {
                long a = PyValue.ToLong(l), b = PyValue.ToLong(r);
                switch (op)
                {
                    case "+": return a + b;
                    case "-": return a - b;
                    case "*": return a * b;
                    case "/": return b == 0 ? throw new TemplateException("division by zero") : (double)a / b;
                    case "//": return b == 0 ? throw new TemplateException("integer division or modulo by zero") : FloorDiv(a, b);
                    case "%": return b == 0 ? throw new TemplateException("integer division or modulo by zero") : a - FloorDiv(a, b) * b;
                    case "**": return b >= 0 ? (object)(long)Math.Pow(a, b) : Math.Pow(a, b);
                }
            }
            double x = PyValue.ToDouble(l), y = PyValue.ToDouble(r);
            switch (op)
            {
                case "+": return x + y;
                case "-": return x - y;
                case "*": return x * y;
                case "/": return y == 0 ? throw new TemplateException("float division by zero") : x / y;
                case "//": return y == 0 ? throw new TemplateException("float floor division by zero") : FloatDivMod(x, y).Div;
                case "%": return y == 0 ? throw new TemplateException("float modulo") : FloatDivMod(x, y).Mod;
                case "**": return Math.Pow(x, y);
            }
        }
        switch (op)
        {
            case "+" when l is string a && r is string b: return a + b;
            case "+" when l is IList<object?> a && r is IList<object?> b:
                return l is object?[] && r is object?[] ? a.Concat(b).ToArray() : a.Concat(b).ToList();
            case "*" when l is string s && r is long or bool: return Repeat(s, PyValue.ToLong(r));
            case "*" when r is string s && l is long or bool: return Repeat(s, PyValue.ToLong(l));
            case "*" when l is IList<object?> list && r is long or bool: return RepeatList(list, PyValue.ToLong(r));
            case "*" when r is IList<object?> list && l is long or bool: return RepeatList(list, PyValue.ToLong(l));
            case "%" when l is string fmt: return PercentFormat(fmt, r);
        }
        if (op == "+" && (l is string || r is string))
            throw new TemplateException($"can only concatenate str (not \"{PyValue.TypeName(l is string ? r : l)}\") to str");
        throw new TemplateException($"unsupported operand type(s) for {op}: '{PyValue.TypeName(l)}' and '{PyValue.TypeName(r)}'");
    }

    // CPython's float divmod: the remainder takes the divisor's sign, -0.0 included.
    private static (double Div, double Mod) FloatDivMod(double vx, double wx)
    {
        double mod = vx % wx;
        double div = (vx - mod) / wx;
        if (mod != 0)
        {
            if ((wx < 0) != (mod < 0)) { mod += wx; div -= 1.0; }
        }
        else mod = Math.CopySign(0.0, wx);
        double floorDiv;
        if (div != 0)
        {
            floorDiv = Math.Floor(div);
            if (div - floorDiv > 0.5) floorDiv += 1.0;
        }
        else floorDiv = Math.CopySign(0.0, vx / wx);
        return (floorDiv, mod);
    }

    private static long FloorDiv(long a, long b)
    {
        long q = a / b;
        if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
        return q;
    }

    private static object RepeatList(IList<object?> list, long n)
    {
        var items = Enumerable.Range(0, (int)Math.Max(0, n)).SelectMany(_ => list);
        return list is object?[] ? items.ToArray() : items.ToList();
    }

    private static string Repeat(string s, long n) => n <= 0 ? "" : new StringBuilder().Insert(0, s, (int)n).ToString();

    /// <summary>Python printf-style formatting (<c>"%s" % x</c>, the <c>format</c> filter).</summary>
    public static string PercentFormat(string fmt, object? args) => PyPercentFormat.Format(fmt, args);
}
