using System.Text;

namespace Whetstone.Models.Templates;

/// <summary>
/// The Python methods templates call on values: <c>str</c> (startswith, split, strip, replace,
/// format…), <c>dict</c> (items, keys, values, get) and read-only <c>list</c> methods. Mutating
/// methods are refused, as in Hugging Face's immutable sandbox.
/// </summary>
internal static class PyMethods
{
    public static JinjaFunction? Find(object? target, string name) => target switch
    {
        string s => StringMethod(s, name),
        OrderedDictionary<string, object?> d => DictMethod(d, name),
        IList<object?> l => ListMethod(l, name),
        _ => null,
    };

    private static JinjaFunction Fn(string name, Func<IReadOnlyList<object?>, IReadOnlyDictionary<string, object?>, object?> f) => new(name, f);

    private static object? Arg(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kw, int i, string name, object? fallback = null)
        => i < args.Count ? args[i] : kw.TryGetValue(name, out var v) ? v : fallback;

    private static string StrArg(string method, object? v) =>
        v as string ?? throw new TemplateException($"str.{method}() expected a string argument, got '{PyValue.TypeName(v)}'");

    private static JinjaFunction? StringMethod(string s, string name) => name switch
    {
        "startswith" => Fn("str.startswith", (a, k) => Affix(s, Arg(a, k, 0, "prefix"), name, (x, p) => x.StartsWith(p, StringComparison.Ordinal))),
        "endswith" => Fn("str.endswith", (a, k) => Affix(s, Arg(a, k, 0, "suffix"), name, (x, p) => x.EndsWith(p, StringComparison.Ordinal))),
        "strip" => Fn("str.strip", (a, k) => Strip(s, Arg(a, k, 0, "chars"), left: true, right: true)),
        "lstrip" => Fn("str.lstrip", (a, k) => Strip(s, Arg(a, k, 0, "chars"), left: true, right: false)),
        "rstrip" => Fn("str.rstrip", (a, k) => Strip(s, Arg(a, k, 0, "chars"), left: false, right: true)),
        "split" => Fn("str.split", (a, k) => Split(s, Arg(a, k, 0, "sep"), (int)PyValue.ToLong(Arg(a, k, 1, "maxsplit", -1L)), fromRight: false)),
        "rsplit" => Fn("str.rsplit", (a, k) => Split(s, Arg(a, k, 0, "sep"), (int)PyValue.ToLong(Arg(a, k, 1, "maxsplit", -1L)), fromRight: true)),
        "splitlines" => Fn("str.splitlines", (_, _) => SplitLines(s)),
        "upper" => Fn("str.upper", (_, _) => s.ToUpperInvariant()),
        "lower" => Fn("str.lower", (_, _) => s.ToLowerInvariant()),
        "title" => Fn("str.title", (_, _) => Title(s)),
        "capitalize" => Fn("str.capitalize", (_, _) => Capitalize(s)),
        "replace" => Fn("str.replace", (a, k) => Replace(s, StrArg(name, Arg(a, k, 0, "old")), StrArg(name, Arg(a, k, 1, "new")), (int)PyValue.ToLong(Arg(a, k, 2, "count", -1L)))),
        "find" => Fn("str.find", (a, k) => (long)s.IndexOf(StrArg(name, Arg(a, k, 0, "sub")), StringComparison.Ordinal)),
        "rfind" => Fn("str.rfind", (a, k) => (long)s.LastIndexOf(StrArg(name, Arg(a, k, 0, "sub")), StringComparison.Ordinal)),
        "count" => Fn("str.count", (a, k) => (long)CountOccurrences(s, StrArg(name, Arg(a, k, 0, "sub")))),
        "join" => Fn("str.join", (a, k) => string.Join(s, PyValue.Iterate(Arg(a, k, 0, "iterable")).Select(x => x as string ?? throw new TemplateException($"str.join() expected str items, got '{PyValue.TypeName(x)}'")))),
        "format" => Fn("str.format", (a, k) => Format(s, a, k)),
        "isdigit" => Fn("str.isdigit", (_, _) => s.Length > 0 && s.All(char.IsDigit)),
        "isnumeric" => Fn("str.isnumeric", (_, _) => s.Length > 0 && s.All(char.IsDigit)),
        "isalpha" => Fn("str.isalpha", (_, _) => s.Length > 0 && s.All(char.IsLetter)),
        "isalnum" => Fn("str.isalnum", (_, _) => s.Length > 0 && s.All(char.IsLetterOrDigit)),
        "isspace" => Fn("str.isspace", (_, _) => s.Length > 0 && s.All(char.IsWhiteSpace)),
        "isupper" => Fn("str.isupper", (_, _) => TemplateTests.IsUpper(s)),
        "islower" => Fn("str.islower", (_, _) => TemplateTests.IsLower(s)),
        _ => null,
    };

    private static bool Affix(string s, object? arg, string method, Func<string, string, bool> test) => arg switch
    {
        string p => test(s, p),
        IList<object?> options => options.Any(o => test(s, StrArg(method, o))),
        _ => throw new TemplateException($"str.{method}() expected a string or tuple, got '{PyValue.TypeName(arg)}'"),
    };

    public static string Strip(string s, object? chars, bool left, bool right)
    {
        Func<char, bool> strip = chars switch
        {
            null or Undefined => char.IsWhiteSpace,
            string set => set.Contains,
            _ => throw new TemplateException($"strip arg must be None or str, got '{PyValue.TypeName(chars)}'"),
        };
        int start = 0, end = s.Length;
        if (left) while (start < end && strip(s[start])) start++;
        if (right) while (end > start && strip(s[end - 1])) end--;
        return s[start..end];
    }

    private static List<object?> Split(string s, object? sep, int maxSplit, bool fromRight)
    {
        if (sep is null or Undefined)
        {
            // Whitespace split: runs of whitespace separate, no empty strings.
            var words = new List<string>();
            var parts = s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (maxSplit < 0 || parts.Length <= maxSplit + 1) return [.. parts];
            if (!fromRight)
            {
                words.AddRange(parts.Take(maxSplit));
                int consumed = 0, idx = 0;
                for (; idx < s.Length && consumed < maxSplit; consumed++)
                {
                    while (idx < s.Length && char.IsWhiteSpace(s[idx])) idx++;
                    while (idx < s.Length && !char.IsWhiteSpace(s[idx])) idx++;
                }
                words.Add(s[idx..].TrimStart());
                return [.. words];
            }
            int end = s.Length, count = 0;
            var tail = new List<string>();
            for (; count < maxSplit; count++)
            {
                while (end > 0 && char.IsWhiteSpace(s[end - 1])) end--;
                int w = end;
                while (w > 0 && !char.IsWhiteSpace(s[w - 1])) w--;
                tail.Insert(0, s[w..end]);
                end = w;
            }
            tail.Insert(0, s[..end].TrimEnd());
            return [.. tail];
        }
        string separator = StrArg("split", sep);
        if (separator.Length == 0) throw new TemplateException("str.split(): empty separator");
        var all = s.Split(separator);
        if (maxSplit < 0 || all.Length <= maxSplit + 1) return [.. all];
        if (!fromRight)
            return [.. all.Take(maxSplit), string.Join(separator, all.Skip(maxSplit))];
        int keep = all.Length - maxSplit;
        return [string.Join(separator, all.Take(keep)), .. all.Skip(keep)];
    }

    private static List<object?> SplitLines(string s)
    {
        var lines = s.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n').Select(x => (object?)x).ToList();
        if (lines.Count > 0 && (string?)lines[^1] == "") lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    private static string Replace(string s, string old, string replacement, int count)
    {
        if (count < 0) return old.Length == 0 ? InsertEverywhere(s, replacement) : s.Replace(old, replacement, StringComparison.Ordinal);
        var sb = new StringBuilder();
        int pos = 0;
        for (int n = 0; n < count; n++)
        {
            int i = s.IndexOf(old, pos, StringComparison.Ordinal);
            if (i < 0 || old.Length == 0) break;
            sb.Append(s, pos, i - pos).Append(replacement);
            pos = i + old.Length;
        }
        return sb.Append(s, pos, s.Length - pos).ToString();
    }

    private static string InsertEverywhere(string s, string insert)
    {
        var sb = new StringBuilder(insert);
        foreach (char c in s) sb.Append(c).Append(insert);
        return sb.ToString();
    }

    private static int CountOccurrences(string s, string sub)
    {
        if (sub.Length == 0) return s.Length + 1;
        int n = 0;
        for (int i = s.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = s.IndexOf(sub, i + sub.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool prevCased = false;
        foreach (char c in s)
        {
            sb.Append(prevCased ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
            prevCased = char.IsLetter(c);
        }
        return sb.ToString();
    }

    public static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    // str.format with {} / {0} / {name} fields and {{ }} escapes; format specs are not supported.
    private static string Format(string s, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs)
    {
        var sb = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '{' && i + 1 < s.Length && s[i + 1] == '{') { sb.Append('{'); i++; continue; }
            if (c == '}' && i + 1 < s.Length && s[i + 1] == '}') { sb.Append('}'); i++; continue; }
            if (c != '{') { sb.Append(c); continue; }
            int close = s.IndexOf('}', i);
            if (close < 0) throw new TemplateException("str.format(): single '{' encountered in format string");
            string field = s[(i + 1)..close];
            if (field.Contains(':') || field.Contains('!')) throw new TemplateException($"str.format(): format spec in '{{{field}}}' is not supported");
            object? value;
            if (field.Length == 0) value = auto < args.Count ? args[auto++] : throw new TemplateException("str.format(): not enough positional arguments");
            else if (int.TryParse(field, out int idx)) value = idx < args.Count ? args[idx] : throw new TemplateException($"str.format(): no positional argument {idx}");
            else value = kwargs.TryGetValue(field, out var v) ? v : throw new TemplateException($"str.format(): no keyword argument '{field}'");
            sb.Append(PyValue.ToStr(value));
            i = close;
        }
        return sb.ToString();
    }

    private static JinjaFunction? DictMethod(OrderedDictionary<string, object?> d, string name) => name switch
    {
        "items" => Fn("dict.items", (_, _) => d.Select(p => (object?)new object?[] { p.Key, p.Value }).ToList()),
        "keys" => Fn("dict.keys", (_, _) => d.Keys.Select(k => (object?)k).ToList()),
        "values" => Fn("dict.values", (_, _) => d.Values.ToList()),
        "get" => Fn("dict.get", (a, k) => Arg(a, k, 0, "key") is string key && d.TryGetValue(key, out var v) ? v : Arg(a, k, 1, "default")),
        "copy" => Fn("dict.copy", (_, _) => new OrderedDictionary<string, object?>(d, StringComparer.Ordinal)),
        "update" or "pop" or "popitem" or "setdefault" or "clear" =>
            Fn("dict." + name, (_, _) => throw new TemplateException($"dict.{name}() is not allowed: chat templates render in an immutable sandbox")),
        _ => null,
    };

    private static JinjaFunction? ListMethod(IList<object?> l, string name) => name switch
    {
        "index" => Fn("list.index", (a, k) =>
        {
            var x = Arg(a, k, 0, "value");
            for (int i = 0; i < l.Count; i++) if (PyValue.PyEquals(l[i], x)) return (long)i;
            throw new TemplateException($"{PyValue.Repr(x)} is not in list");
        }),
        "count" => Fn("list.count", (a, k) => (long)l.Count(v => PyValue.PyEquals(v, Arg(a, k, 0, "value")))),
        "append" or "extend" or "insert" or "pop" or "remove" or "clear" or "sort" or "reverse" =>
            Fn("list." + name, (_, _) => throw new TemplateException($"list.{name}() is not allowed: chat templates render in an immutable sandbox")),
        _ => null,
    };
}
