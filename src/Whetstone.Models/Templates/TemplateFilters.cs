using System.Globalization;
using System.Text;

namespace Whetstone.Models.Templates;

/// <summary>
/// Jinja's filters (<c>x | name(args)</c>) with the behaviour of Jinja 3 plus Hugging Face's
/// <c>tojson</c> override. Names are checked when the template is parsed.
/// </summary>
internal static partial class TemplateFilters
{
    public static readonly HashSet<string> Names =
    [
        "tojson", "trim", "length", "count", "upper", "lower", "capitalize", "title", "join", "first", "last",
        "default", "d", "items", "string", "int", "float", "list", "reverse", "selectattr", "rejectattr",
        "select", "reject", "map", "safe", "escape", "e", "replace", "round", "abs", "sum", "min", "max",
        "unique", "sort", "dictsort", "indent", "wordcount", "format", "attr", "batch", "center",
    ];

    public static object? Apply(string name, object? v, IReadOnlyList<object?> a, IReadOnlyDictionary<string, object?> k)
    {
        object? Arg(int i, string key, object? fallback = null) => i < a.Count ? a[i] : k.TryGetValue(key, out var x) ? x : fallback;
        return name switch
        {
            "tojson" => ToJson(v, Arg(0, "ensure_ascii", false), Arg(1, "indent"), Arg(2, "separators"), Arg(3, "sort_keys", false)),
            "trim" => PyMethods.Strip(PyValue.ToStr(v), Arg(0, "chars"), left: true, right: true),
            "length" or "count" => PyValue.Length(v),
            "upper" => PyValue.ToStr(v).ToUpperInvariant(),
            "lower" => PyValue.ToStr(v).ToLowerInvariant(),
            "capitalize" => PyMethods.Capitalize(PyValue.ToStr(v)),
            "title" => JinjaTitle(PyValue.ToStr(v)),
            "join" => Join(v, PyValue.ToStr(Arg(0, "d", "")), Arg(1, "attribute")),
            "first" => PyValue.Iterate(v) is { Count: > 0 } f ? f[0] : new Undefined("No first item, sequence was empty."),
            "last" => PyValue.Iterate(v) is { Count: > 0 } l ? l[^1] : new Undefined("No last item, sequence was empty."),
            "default" or "d" => (v is Undefined || (PyValue.IsTruthy(Arg(1, "boolean", false)) && !PyValue.IsTruthy(v))) ? Arg(0, "default_value", "") : v,
            "items" => v switch
            {
                Undefined => new List<object?>(),
                OrderedDictionary<string, object?> dict => dict.Select(p => (object?)new object?[] { p.Key, p.Value }).ToList(),
                _ => throw new TemplateException($"items filter expects a mapping, got '{PyValue.TypeName(v)}'"),
            },
            "string" => PyValue.ToStr(v),
            "int" => v is Undefined u1 ? throw new TemplateException(u1.Hint) : ToInt(v, Arg(0, "default", 0L), PyValue.ToLong(Arg(1, "base", 10L))),
            "float" => v is Undefined u2 ? throw new TemplateException(u2.Hint) : ToFloat(v, Arg(0, "default", 0.0)),
            "list" => PyValue.Iterate(v),
            "reverse" => v is string s ? string.Concat(Enumerable.Reverse(PyValue.Iterate(s)).Cast<string>()) : Enumerable.Reverse(PyValue.Iterate(v)).ToList(),
            // Jinja guards these with "if value:", so any falsy input gives an empty result.
            "selectattr" or "rejectattr" => PyValue.IsTruthy(v) ? SelectAttr(v, a, name == "selectattr") : new List<object?>(),
            "select" or "reject" => PyValue.IsTruthy(v) ? Select(v, a, name == "select") : new List<object?>(),
            "map" => PyValue.IsTruthy(v) ? Map(v, a, k) : new List<object?>(),
            // Jinja returns Markup (a str); its escaping when later combined with '+' is not modelled.
            "safe" => PyValue.ToStr(v),
            "escape" or "e" => Escape(PyValue.ToStr(v)),
            "replace" => Replace(PyValue.ToStr(v), PyValue.ToStr(Arg(0, "old")), PyValue.ToStr(Arg(1, "new")), Arg(2, "count")),
            "round" => Round(v, (int)PyValue.ToLong(Arg(0, "precision", 0L)), PyValue.ToStr(Arg(1, "method", "common"))),
            "abs" => v is long or bool ? (object)Math.Abs(PyValue.ToLong(v)) : Math.Abs(PyValue.ToDouble(v)),
            "sum" => Sum(v, Arg(0, "attribute"), Arg(1, "start", 0L)),
            "min" or "max" => MinMax(v, name == "max", PyValue.IsTruthy(Arg(0, "case_sensitive", false)), Arg(1, "attribute")),
            "unique" => Unique(v),
            "sort" => Sort(v, PyValue.IsTruthy(Arg(0, "reverse", false)), PyValue.IsTruthy(Arg(1, "case_sensitive", false)), Arg(2, "attribute")),
            "dictsort" => DictSort(v, PyValue.IsTruthy(Arg(0, "case_sensitive", false)), PyValue.ToStr(Arg(1, "by", "key")), PyValue.IsTruthy(Arg(2, "reverse", false))),
            "indent" => Indent(v as string ?? throw new TemplateException($"indent expects a string, got '{PyValue.TypeName(v)}'"), Arg(0, "width", 4L), PyValue.IsTruthy(Arg(1, "first", false)), PyValue.IsTruthy(Arg(2, "blank", false))),
            "wordcount" => (long)WordPattern().Count(PyValue.ToStr(v)),
            "format" => PyOperators.PercentFormat(PyValue.ToStr(v), k.Count > 0 ? new OrderedDictionary<string, object?>(k) : a.ToArray()),
            "attr" => ValueAccess.GetAttribute(v, PyValue.ToStr(Arg(0, "name"))),
            "batch" => Batch(v, (int)PyValue.ToLong(Arg(0, "linecount")), Arg(1, "fill_with")),
            "center" => Center(PyValue.ToStr(v), (int)PyValue.ToLong(Arg(0, "width", 80L))),
            _ => throw new TemplateException($"unsupported filter '{name}'"),
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\w+")]
    private static partial System.Text.RegularExpressions.Regex WordPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"([-\s({\[<]+)")]
    private static partial System.Text.RegularExpressions.Regex WordBeginning();

    // Jinja's title filter (not str.title): a word starts after whitespace, '-', '(', '{', '[' or '<'.
    private static string JinjaTitle(string s) => string.Concat(WordBeginning().Split(s)
        .Where(item => item.Length > 0)
        .Select(item => char.ToUpperInvariant(item[0]) + item[1..].ToLowerInvariant()));

    private static string ToJson(object? v, object? ensureAscii, object? indent, object? separators, object? sortKeys)
    {
        string? indentText = indent switch
        {
            null or Undefined => null,
            long n => new string(' ', (int)Math.Max(0, n)),
            string s => s,
            _ => throw new TemplateException($"tojson: indent must be an int or str, got '{PyValue.TypeName(indent)}'"),
        };
        string? itemSep = null, keySep = null;
        if (separators is IList<object?> { Count: 2 } seps)
        {
            itemSep = PyValue.ToStr(seps[0]);
            keySep = PyValue.ToStr(seps[1]);
        }
        else if (separators is not (null or Undefined))
            throw new TemplateException("tojson: separators must be a pair of strings");
        string json = PyJson.Dumps(v, indentText, itemSep, keySep, PyValue.IsTruthy(sortKeys));
        return PyValue.IsTruthy(ensureAscii) ? EscapeNonAscii(json) : json;
    }

    private static string EscapeNonAscii(string json)
    {
        var sb = new StringBuilder(json.Length);
        foreach (char c in json)
            if (c < 0x80) sb.Append(c);
            else sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    private static string Join(object? v, string sep, object? attribute)
    {
        var items = PyValue.Iterate(v);
        if (attribute is not (null or Undefined)) items = items.Select(x => ValueAccess.GetAttribute(x, PyValue.ToStr(attribute))).ToList();
        return string.Join(sep, items.Select(PyValue.ToStr));
    }

    private static object? ToInt(object? v, object? fallback, long numberBase)
    {
        switch (v)
        {
            case long l: return l;
            case bool b: return b ? 1L : 0L;
            case double d: return double.IsFinite(d) ? (long)Math.Truncate(d) : fallback;
            case string s:
                s = s.Trim().Replace("_", "");
                if (numberBase == 10 && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed)) return parsed;
                if (numberBase == 16 && long.TryParse(s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? s[2..] : s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long hex)) return hex;
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && double.IsFinite(f)) return (long)Math.Truncate(f);
                return fallback;
            default: return fallback;
        }
    }

    private static object? ToFloat(object? v, object? fallback) => v switch
    {
        double d => d,
        long l => (double)l,
        bool b => b ? 1.0 : 0.0,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double f) => f,
        _ => fallback,
    };

    private static List<object?> SelectAttr(object? v, IReadOnlyList<object?> a, bool keep)
    {
        if (a.Count == 0) throw new TemplateException("selectattr/rejectattr need an attribute name");
        string attr = PyValue.ToStr(a[0]);
        string? test = a.Count > 1 ? PyValue.ToStr(a[1]) : null;
        var testArgs = a.Skip(2).ToList();
        return PyValue.Iterate(v).Where(item =>
        {
            var value = ValueAccess.GetAttribute(item, attr);
            bool ok = test == null ? PyValue.IsTruthy(value) : TemplateTests.Apply(test, value, testArgs);
            return ok == keep;
        }).ToList();
    }

    private static List<object?> Select(object? v, IReadOnlyList<object?> a, bool keep)
    {
        string? test = a.Count > 0 ? PyValue.ToStr(a[0]) : null;
        var testArgs = a.Skip(1).ToList();
        return PyValue.Iterate(v).Where(item => (test == null ? PyValue.IsTruthy(item) : TemplateTests.Apply(test, item, testArgs)) == keep).ToList();
    }

    private static List<object?> Map(object? v, IReadOnlyList<object?> a, IReadOnlyDictionary<string, object?> k)
    {
        var items = PyValue.Iterate(v);
        if (k.TryGetValue("attribute", out var attribute))
        {
            k.TryGetValue("default", out var fallback);
            bool hasDefault = k.ContainsKey("default");
            return items.Select(x =>
            {
                var value = ValueAccess.GetAttribute(x, PyValue.ToStr(attribute));
                return value is Undefined && hasDefault ? fallback : value;
            }).ToList();
        }
        if (a.Count == 0) throw new TemplateException("map needs a filter name or attribute=");
        string filter = PyValue.ToStr(a[0]);
        if (!Names.Contains(filter)) throw new TemplateException($"unsupported filter '{filter}' in map()");
        var rest = a.Skip(1).ToList();
        return items.Select(x => Apply(filter, x, rest, k)).ToList();
    }

    private static string Escape(string s) =>
        s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("'", "&#39;").Replace("\"", "&#34;");

    private static string Replace(string s, string old, string replacement, object? count)
    {
        if (count is null or Undefined) return old.Length == 0 ? s : s.Replace(old, replacement, StringComparison.Ordinal);
        var replace = PyMethods.Find(s, "replace")!;
        return (string)replace.Invoke([old, replacement, count])!;
    }

    // Jinja: 'common' is Python's round() (ints stay ints; floats round half-to-even on their exact
    // binary value), 'ceil'/'floor' scale by 10**precision and always give a float.
    private static object Round(object? v, int precision, string method)
    {
        if (method == "common" && v is long or bool) return PyValue.ToLong(v);
        double value = PyValue.ToDouble(v);
        double scale = Math.Pow(10, precision);
        return method switch
        {
            "common" => PythonRound(value, precision),
            "ceil" => Math.Ceiling(value * scale) / scale,
            "floor" => Math.Floor(value * scale) / scale,
            _ => throw new TemplateException("round: method must be 'common', 'ceil' or 'floor'"),
        };
    }

    private static double PythonRound(double value, int precision)
    {
        if (!double.IsFinite(value) || precision < 0 || precision > 20) return Math.Round(value, Math.Clamp(precision, 0, 15), MidpointRounding.ToEven);
        // "F60" is the exact decimal expansion (to 60 places) of the binary value, so ties are real ties.
        string exact = Math.Abs(value).ToString("F60", CultureInfo.InvariantCulture);
        int dot = exact.IndexOf('.');
        string keep = exact[..(dot + 1 + precision)].TrimEnd('.');
        string rest = exact[(dot + 1 + precision)..];
        int cmp = rest[0] > '5' ? 1 : rest[0] < '5' ? -1 : rest.Skip(1).Any(ch => ch != '0') ? 1 : 0;
        char last = keep[^1] == '.' ? keep[^2] : keep[^1];
        bool up = cmp > 0 || (cmp == 0 && (last - '0') % 2 == 1);
        double kept = double.Parse(keep, CultureInfo.InvariantCulture);
        if (up) kept += Math.Pow(10, -precision);
        double rounded = double.Parse(kept.ToString("F" + precision, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return value < 0 ? -rounded : rounded;
    }

    private static object? Sum(object? v, object? attribute, object? start)
    {
        object? total = start;
        foreach (var item in PyValue.Iterate(v))
        {
            var x = attribute is null or Undefined ? item : ValueAccess.GetAttribute(item, PyValue.ToStr(attribute));
            total = PyOperators.Arithmetic("+", total, x);
        }
        return total;
    }

    private static object? SortKey(object? item, bool caseSensitive, object? attribute)
    {
        var x = attribute is null or Undefined ? item : ValueAccess.GetAttribute(item, PyValue.ToStr(attribute));
        return !caseSensitive && x is string s ? s.ToLowerInvariant() : x;
    }

    private static object? MinMax(object? v, bool max, bool caseSensitive, object? attribute)
    {
        var items = PyValue.Iterate(v);
        if (items.Count == 0) return new Undefined($"No aggregated item, sequence was empty.");
        var best = items[0];
        foreach (var item in items.Skip(1))
        {
            int c = PyValue.Compare(SortKey(item, caseSensitive, attribute), SortKey(best, caseSensitive, attribute), max ? ">" : "<");
            if (max ? c > 0 : c < 0) best = item;
        }
        return best;
    }

    private static List<object?> Unique(object? v)
    {
        var result = new List<object?>();
        foreach (var item in PyValue.Iterate(v))
            if (!result.Any(r => PyValue.PyEquals(SortKey(r, false, null), SortKey(item, false, null)))) result.Add(item);
        return result;
    }

    private static List<object?> Sort(object? v, bool reverse, bool caseSensitive, object? attribute)
    {
        var items = PyValue.Iterate(v);
        // Python's sort is stable; OrderBy is stable too.
        var sorted = items.Select((x, i) => (x, i))
            .OrderBy(p => p, Comparer<(object? x, int i)>.Create((p, q) =>
            {
                int c = PyValue.Compare(SortKey(p.x, caseSensitive, attribute), SortKey(q.x, caseSensitive, attribute), "<");
                return c != 0 ? (reverse ? -c : c) : p.i.CompareTo(q.i);
            }))
            .Select(p => p.x).ToList();
        return sorted;
    }

    private static List<object?> DictSort(object? v, bool caseSensitive, string by, bool reverse)
    {
        if (v is not OrderedDictionary<string, object?> dict) throw new TemplateException($"dictsort expects a mapping, got '{PyValue.TypeName(v)}'");
        int pos = by switch { "key" => 0, "value" => 1, _ => throw new TemplateException("dictsort: 'by' must be 'key' or 'value'") };
        var pairs = dict.Select(p => (object?)new object?[] { p.Key, p.Value }).ToList();
        var keys = pairs.Select(p => SortKey(((object?[])p!)[pos], caseSensitive, null)).ToList();
        var order = Enumerable.Range(0, pairs.Count).ToList();
        order.Sort((i, j) =>
        {
            int c = PyValue.Compare(keys[i], keys[j], "<");
            return c != 0 ? (reverse ? -c : c) : i.CompareTo(j);
        });
        return order.Select(i => pairs[i]).ToList();
    }

    // Jinja's do_indent: lines after the first are indented unless empty (or blank=true); first=true indents line one.
    private static string Indent(string s, object? width, bool first, bool blank)
    {
        string pad = width is string w ? w : new string(' ', (int)PyValue.ToLong(width));
        var lines = (s + "\n").Split('\n').ToList();
        lines.RemoveAt(lines.Count - 1);
        string rv = blank
            ? string.Join("\n" + pad, lines)
            : lines[0] + (lines.Count > 1 ? "\n" + string.Join("\n", lines.Skip(1).Select(l => l.Length > 0 ? pad + l : l)) : "");
        return first ? pad + rv : rv;
    }

    private static List<object?> Batch(object? v, int size, object? fill)
    {
        if (size <= 0) throw new TemplateException("batch: linecount must be positive");
        var result = new List<object?>();
        List<object?>? current = null;
        foreach (var item in PyValue.Iterate(v))
        {
            if (current == null || current.Count == size) { current = []; result.Add(current); }
            current.Add(item);
        }
        if (current != null && fill is not (null or Undefined)) while (current.Count < size) current.Add(fill);
        return result;
    }

    private static string Center(string s, int width)
    {
        if (s.Length >= width) return s;
        int total = width - s.Length;
        int left = total / 2 + (total & width & 1);
        return new string(' ', left) + s + new string(' ', total - left);
    }
}
