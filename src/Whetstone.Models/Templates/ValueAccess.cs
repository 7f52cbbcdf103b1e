namespace Whetstone.Models.Templates;

/// <summary>
/// Jinja's attribute, item and slice access: <c>obj.name</c> tries methods/attributes then items,
/// <c>obj[key]</c> tries items then attributes, and a miss is <see cref="Undefined"/>, not an error.
/// </summary>
internal static class ValueAccess
{
    /// <summary>Jinja's <c>obj.name</c>: a method or attribute first, then the item with that key.</summary>
    public static object? GetAttribute(object? obj, string name)
    {
        switch (obj)
        {
            case Undefined u: throw new TemplateException(u.Hint);
            case LoopContext loop: return loop.Get(name);
            case JinjaNamespace ns:
                return ns.Attributes.TryGetValue(name, out var nv) ? nv : new Undefined($"'Namespace' object has no attribute '{name}'");
        }
        var method = PyMethods.Find(obj, name);
        if (method != null) return method;
        if (obj is OrderedDictionary<string, object?> dict && dict.TryGetValue(name, out var v)) return v;
        return new Undefined($"'{PyValue.TypeName(obj)} object' has no attribute '{name}'");
    }

    /// <summary>Jinja's <c>obj[key]</c>: the item first, then a method or attribute of that name.</summary>
    public static object? GetItem(object? obj, object? key)
    {
        switch (obj)
        {
            case Undefined u: throw new TemplateException(u.Hint);
            case OrderedDictionary<string, object?> dict:
                if (key is string k && dict.TryGetValue(k, out var v)) return v;
                break;
            case IList<object?> list when key is long or bool:
                {
                    long i = PyValue.ToLong(key);
                    if (i < 0) i += list.Count;
                    return i >= 0 && i < list.Count ? list[(int)i] : new Undefined($"'{PyValue.TypeName(obj)} object' has no element {key}");
                }
            case string s when key is long or bool:
                {
                    var chars = PyValue.Iterate(s);
                    long i = PyValue.ToLong(key);
                    if (i < 0) i += chars.Count;
                    return i >= 0 && i < chars.Count ? chars[(int)i] : new Undefined($"'str object' has no element {key}");
                }
        }
        if (key is string name) return GetAttribute(obj, name);
        return new Undefined($"'{PyValue.TypeName(obj)} object' has no element {PyValue.Repr(key)}");
    }

    /// <summary>Python slicing of lists, tuples and strings, with negative and omitted bounds.</summary>
    public static object? Slice(object? obj, long? start, long? stop, long? step)
    {
        List<object?> items = obj switch
        {
            string s => PyValue.Iterate(s),
            IList<object?> l => [.. l],
            Undefined u => throw new TemplateException(u.Hint),
            // Jinja compiles slices to a plain Python subscript, so a TypeError is not turned into undefined.
            _ => throw new TemplateException($"'{PyValue.TypeName(obj)}' object is not subscriptable"),
        };
        long n = items.Count, st = step ?? 1;
        if (st == 0) throw new TemplateException("slice step cannot be zero");
        long Clamp(long? v, long dflt, long lo, long hi)
        {
            if (v == null) return dflt;
            long x = v.Value < 0 ? v.Value + n : v.Value;
            return Math.Clamp(x, lo, hi);
        }
        var picked = new List<object?>();
        if (st > 0)
        {
            long a = Clamp(start, 0, 0, n), b = Clamp(stop, n, 0, n);
            for (long i = a; i < b; i += st) picked.Add(items[(int)i]);
        }
        else
        {
            long a = Clamp(start, n - 1, -1, n - 1), b = Clamp(stop, -1, -1, n - 1);
            for (long i = a; i > b; i += st) picked.Add(items[(int)i]);
        }
        return obj switch
        {
            string => string.Concat(picked.Cast<string>()),
            object?[] => picked.ToArray(),
            _ => picked,
        };
    }
}
