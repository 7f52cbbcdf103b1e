using System.Globalization;
using System.Text;

namespace Whetstone.Models.Templates;

/// <summary>
/// The <c>tojson</c> filter as Hugging Face defines it: Python's
/// <c>json.dumps(x, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sort_keys)</c>.
/// Non-ASCII text is kept as is; only '"', '\\' and control characters are escaped.
/// </summary>
internal static class PyJson
{
    public static string Dumps(object? value, string? indent = null, string? itemSeparator = null, string? keySeparator = null, bool sortKeys = false)
    {
        itemSeparator ??= indent == null ? ", " : ",";
        keySeparator ??= ": ";
        var sb = new StringBuilder();
        Write(sb, value, indent, itemSeparator, keySeparator, sortKeys, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? v, string? indent, string itemSep, string keySep, bool sortKeys, int depth)
    {
        switch (v)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case double d:
                sb.Append(double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : PyValue.FloatRepr(d));
                break;
            case string s: WriteString(sb, s); break;
            case IList<object?> list:
                if (list.Count == 0) { sb.Append("[]"); break; }
                sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(itemSep);
                    NewLine(sb, indent, depth + 1);
                    Write(sb, list[i], indent, itemSep, keySep, sortKeys, depth + 1);
                }
                NewLine(sb, indent, depth);
                sb.Append(']');
                break;
            case OrderedDictionary<string, object?> dict:
                if (dict.Count == 0) { sb.Append("{}"); break; }
                sb.Append('{');
                IEnumerable<KeyValuePair<string, object?>> pairs = sortKeys ? dict.OrderBy(p => p.Key, StringComparer.Ordinal) : dict;
                bool first = true;
                foreach (var (k, val) in pairs)
                {
                    if (!first) sb.Append(itemSep);
                    first = false;
                    NewLine(sb, indent, depth + 1);
                    WriteString(sb, k);
                    sb.Append(keySep);
                    Write(sb, val, indent, itemSep, keySep, sortKeys, depth + 1);
                }
                NewLine(sb, indent, depth);
                sb.Append('}');
                break;
            case Undefined u:
                throw new TemplateException($"tojson: Object of type Undefined is not JSON serializable ({u.Hint})");
            default:
                throw new TemplateException($"tojson: Object of type {PyValue.TypeName(v)} is not JSON serializable");
        }
    }

    private static void NewLine(StringBuilder sb, string? indent, int depth)
    {
        if (indent == null) return;
        sb.Append('\n');
        for (int i = 0; i < depth; i++) sb.Append(indent);
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
