using System.Globalization;
using System.Text;

namespace Whetstone.Models.Templates;

/// <summary>
/// Python's printf-style formatting (<c>"%s" % x</c> and the <c>format</c> filter): conversions
/// s r d i f F e E x X c %, with flags (- + space 0), width and precision.
/// </summary>
internal static class PyPercentFormat
{
    public static string Format(string fmt, object? args)
    {
        var values = args is object?[] tuple ? tuple : [args];
        var named = args as OrderedDictionary<string, object?>;
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        int next = 0;
        for (int i = 0; i < fmt.Length; i++)
        {
            if (fmt[i] != '%') { sb.Append(fmt[i]); continue; }
            if (++i >= fmt.Length) throw new TemplateException("incomplete format");
            if (fmt[i] == '%') { sb.Append('%'); continue; }
            object? v;
            if (fmt[i] == '(' && named != null)
            {
                int close = fmt.IndexOf(')', i);
                if (close < 0) throw new TemplateException("incomplete format key");
                string key = fmt[(i + 1)..close];
                v = named.TryGetValue(key, out var nv) ? nv : throw new TemplateException($"format key '{key}' not found");
                i = close + 1;
            }
            else
            {
                if (next >= values.Length) throw new TemplateException("not enough arguments for format string");
                v = values[next++];
            }
            string flags = "";
            while (i < fmt.Length && "-+ 0#".Contains(fmt[i])) flags += fmt[i++];
            int width = 0;
            while (i < fmt.Length && char.IsAsciiDigit(fmt[i])) width = width * 10 + (fmt[i++] - '0');
            int precision = -1;
            if (i < fmt.Length && fmt[i] == '.')
            {
                i++;
                precision = 0;
                while (i < fmt.Length && char.IsAsciiDigit(fmt[i])) precision = precision * 10 + (fmt[i++] - '0');
            }
            if (i >= fmt.Length) throw new TemplateException("incomplete format");
            char type = fmt[i];
            string body;
            bool numeric = true;
            switch (type)
            {
                case 's': body = PyValue.ToStr(v); numeric = false; break;
                case 'r': body = PyValue.Repr(v); numeric = false; break;
                case 'c': body = v is string cs ? cs : char.ConvertFromUtf32((int)PyValue.ToLong(v)); numeric = false; break;
                case 'd' or 'i' or 'u': body = PyValue.ToLong(v is double dd ? Math.Truncate(dd) : v).ToString(inv); break;
                case 'x': body = PyValue.ToLong(v).ToString("x", inv); break;
                case 'X': body = PyValue.ToLong(v).ToString("X", inv); break;
                case 'f' or 'F': body = PyValue.ToDouble(v).ToString("F" + (precision < 0 ? 6 : precision), inv); break;
                case 'e' or 'E': body = Exponent(PyValue.ToDouble(v), precision < 0 ? 6 : precision, type); break;
                default: throw new TemplateException($"unsupported format character '{type}'");
            }
            if (!numeric && precision >= 0 && body.Length > precision) body = body[..precision];
            if (numeric && !body.StartsWith('-'))
            {
                if (flags.Contains('+')) body = "+" + body;
                else if (flags.Contains(' ')) body = " " + body;
            }
            if (body.Length < width)
            {
                if (flags.Contains('-')) body = body.PadRight(width);
                else if (numeric && flags.Contains('0'))
                {
                    int signLen = body.Length > 0 && body[0] is '-' or '+' or ' ' ? 1 : 0;
                    body = body[..signLen] + new string('0', width - body.Length) + body[signLen..];
                }
                else body = body.PadLeft(width);
            }
            sb.Append(body);
        }
        // Python only insists every argument is used when it got a tuple or a plain value, not a list or dict.
        bool containerArg = args is OrderedDictionary<string, object?> || (args is IList<object?> && args is not object?[]);
        if (!containerArg && next < values.Length) throw new TemplateException("not all arguments converted during string formatting");
        return sb.ToString();
    }

    // Python writes at least two exponent digits: 1.500000e+00.
    private static string Exponent(double d, int precision, char type)
    {
        string s = d.ToString((type == 'e' ? "e" : "E") + precision, CultureInfo.InvariantCulture);
        int e = s.IndexOfAny(['e', 'E']);
        string mantissa = s[..(e + 2)];
        string digits = s[(e + 2)..].TrimStart('0');
        return mantissa + digits.PadLeft(2, '0');
    }
}
