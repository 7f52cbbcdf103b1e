using System.Globalization;
using System.Text;

namespace Whetstone.Models.Templates;

/// <summary>
/// Python semantics for template values. Values are: null (None), bool, long (int), double (float),
/// string, <see cref="IList{T}"/> of object (list; an object?[] is a tuple), an
/// <see cref="OrderedDictionary{TKey,TValue}"/> keyed by string (dict), <see cref="Undefined"/>,
/// <see cref="JinjaNamespace"/>, <see cref="LoopContext"/> and <see cref="JinjaFunction"/>.
/// </summary>
internal static class PyValue
{
    public static bool IsTruthy(object? v) => v switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        Undefined => false,
        IList<object?> list => list.Count > 0,
        OrderedDictionary<string, object?> dict => dict.Count > 0,
        _ => true,
    };

    public static bool IsNumber(object? v) => v is long or double || v is bool;

    public static string TypeName(object? v) => v switch
    {
        null => "NoneType",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        object?[] => "tuple",
        IList<object?> => "list",
        OrderedDictionary<string, object?> => "dict",
        Undefined => "Undefined",
        JinjaNamespace => "Namespace",
        LoopContext => "LoopContext",
        JinjaFunction => "function",
        _ => v.GetType().Name,
    };

    /// <summary>Python's <c>str(v)</c>; Undefined prints as "".</summary>
    public static string ToStr(object? v) => v switch
    {
        string s => s,
        Undefined => "",
        _ => Repr(v),
    };

    /// <summary>Python's <c>repr(v)</c>: what str() of a list or dict shows for its elements.</summary>
    public static string Repr(object? v)
    {
        var sb = new StringBuilder();
        AppendRepr(sb, v);
        return sb.ToString();
    }

    private static void AppendRepr(StringBuilder sb, object? v)
    {
        switch (v)
        {
            case null: sb.Append("None"); break;
            case bool b: sb.Append(b ? "True" : "False"); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case double d: sb.Append(FloatRepr(d)); break;
            case string s: AppendStringRepr(sb, s); break;
            case Undefined: break;
            case object?[] tuple:
                sb.Append('(');
                for (int i = 0; i < tuple.Length; i++)
                {
                    if (i > 0) sb.Append(", ");
                    AppendRepr(sb, tuple[i]);
                }
                sb.Append(tuple.Length == 1 ? ",)" : ")");
                break;
            case IList<object?> list:
                sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    AppendRepr(sb, list[i]);
                }
                sb.Append(']');
                break;
            case OrderedDictionary<string, object?> dict:
                sb.Append('{');
                bool first = true;
                foreach (var (k, val) in dict)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    AppendStringRepr(sb, k);
                    sb.Append(": ");
                    AppendRepr(sb, val);
                }
                sb.Append('}');
                break;
            case JinjaNamespace ns:
                sb.Append("<Namespace ");
                AppendRepr(sb, new OrderedDictionary<string, object?>(ns.Attributes));
                sb.Append('>');
                break;
            case JinjaFunction f: sb.Append("<function ").Append(f.Name).Append('>'); break;
            default: sb.Append(v); break;
        }
    }

    private static void AppendStringRepr(StringBuilder sb, string s)
    {
        char quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        sb.Append(quote);
        foreach (char c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c == quote) sb.Append('\\').Append(c);
                    else if (c < 0x20 || c == 0x7f) sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append(quote);
    }

    /// <summary>
    /// Python's <c>repr(float)</c>: the shortest round-tripping digits, fixed notation when the decimal
    /// exponent is in [-4, 16), scientific ("1e-05", "1e+16") otherwise, and always a ".0" or exponent.
    /// </summary>
    public static string FloatRepr(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return double.IsNegative(d) ? "-0.0" : "0.0";
        // Shortest round-trip digits come from "R"; rebuild them as digits + decimal exponent.
        string shortest = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        string mantissa = shortest;
        int exp = 0;
        int e = shortest.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            mantissa = shortest[..e];
            exp = int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        int dot = mantissa.IndexOf('.');
        string digits = dot >= 0 ? mantissa.Remove(dot, 1) : mantissa;
        int point = (dot >= 0 ? dot : mantissa.Length) + exp;
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0') { lead++; point--; }
        digits = digits[lead..].TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        int decExp = point - 1;
        var sb = new StringBuilder();
        if (d < 0) sb.Append('-');
        if (decExp >= -4 && decExp < 16)
        {
            if (point <= 0) sb.Append("0.").Append('0', -point).Append(digits);
            else if (point >= digits.Length) sb.Append(digits).Append('0', point - digits.Length).Append(".0");
            else sb.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
        }
        else
        {
            sb.Append(digits[0]);
            if (digits.Length > 1) sb.Append('.').Append(digits, 1, digits.Length - 1);
            sb.Append('e').Append(decExp < 0 ? '-' : '+').Append(Math.Abs(decExp).ToString("00", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Python <c>==</c>: numbers compare by value across int/float/bool, containers deeply.</summary>
    public static bool PyEquals(object? a, object? b)
    {
        if (a is Undefined || b is Undefined) return a is Undefined && b is Undefined;
        if (a is null || b is null) return a is null && b is null;
        if (IsNumber(a) && IsNumber(b))
        {
            if (a is double || b is double) return ToDouble(a) == ToDouble(b);
            return ToLong(a) == ToLong(b);
        }
        if (a is string sa) return b is string sb && sa == sb;
        if (a is IList<object?> la && b is IList<object?> lb)
        {
            if ((a is object?[]) != (b is object?[]) || la.Count != lb.Count) return false;
            for (int i = 0; i < la.Count; i++)
                if (!PyEquals(la[i], lb[i])) return false;
            return true;
        }
        if (a is OrderedDictionary<string, object?> da && b is OrderedDictionary<string, object?> db)
        {
            if (da.Count != db.Count) return false;
            foreach (var (k, v) in da)
                if (!db.TryGetValue(k, out var w) || !PyEquals(v, w)) return false;
            return true;
        }
        return ReferenceEquals(a, b);
    }

    /// <summary>Python ordering (&lt;, &gt;): numbers, strings (by code point) and sequences; otherwise a TypeError.</summary>
    public static int Compare(object? a, object? b, string op)
    {
        if (IsNumber(a) && IsNumber(b))
        {
            if (a is double || b is double) return ToDouble(a).CompareTo(ToDouble(b));
            return ToLong(a).CompareTo(ToLong(b));
        }
        if (a is string sa && b is string sb) return string.CompareOrdinal(sa, sb) switch { < 0 => -1, > 0 => 1, _ => 0 };
        if (a is IList<object?> la && b is IList<object?> lb)
        {
            for (int i = 0; i < Math.Min(la.Count, lb.Count); i++)
            {
                if (PyEquals(la[i], lb[i])) continue;
                return Compare(la[i], lb[i], op);
            }
            return la.Count.CompareTo(lb.Count);
        }
        throw new TemplateException($"'{op}' not supported between instances of '{TypeName(a)}' and '{TypeName(b)}'");
    }

    public static long ToLong(object? v) => v switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        double d => (long)d,
        _ => throw new TemplateException($"expected an integer, got '{TypeName(v)}'"),
    };

    public static double ToDouble(object? v) => v switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new TemplateException($"expected a number, got '{TypeName(v)}'"),
    };

    /// <summary>Iterates a value the way a Jinja for-loop does: dicts yield keys, strings characters, undefined nothing.</summary>
    public static List<object?> Iterate(object? v) => v switch
    {
        IList<object?> list => [.. list],
        OrderedDictionary<string, object?> dict => [.. dict.Keys],
        string s => [.. TextElements(s)],
        Undefined => [],
        _ => throw new TemplateException($"'{TypeName(v)}' object is not iterable"),
    };

    // Python strings are sequences of code points; keep surrogate pairs together.
    private static IEnumerable<object?> TextElements(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                yield return s.Substring(i, 2);
                i++;
            }
            else yield return s[i].ToString();
        }
    }

    /// <summary>Python <c>len()</c>; strings count code points.</summary>
    public static long Length(object? v) => v switch
    {
        string s => s.Length - s.Count(char.IsLowSurrogate),
        IList<object?> list => list.Count,
        OrderedDictionary<string, object?> dict => dict.Count,
        Undefined => 0,
        JinjaNamespace ns => ns.Attributes.Count,
        _ => throw new TemplateException($"object of type '{TypeName(v)}' has no len()"),
    };
}
