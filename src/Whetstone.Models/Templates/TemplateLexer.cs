using System.Globalization;
using System.Text;

namespace Whetstone.Models.Templates;

/// <summary>
/// Splits Jinja source into tokens the way Jinja's own lexer does under Hugging Face's settings
/// (trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False): whitespace control signs
/// ('-' strips all whitespace, '+' disables lstrip/trim) are applied here, so the parser only sees
/// the text that will be emitted.
/// </summary>
internal sealed class TemplateLexer
{
    private readonly string _src;
    private readonly int[] _lineStarts;
    private readonly bool _trimBlocks;
    private readonly bool _lstripBlocks;
    private readonly List<Token> _tokens = [];

    private TemplateLexer(string source, bool trimBlocks, bool lstripBlocks)
    {
        _src = NormalizeSource(source);
        _trimBlocks = trimBlocks;
        _lstripBlocks = lstripBlocks;
        var starts = new List<int> { 0 };
        for (int i = 0; i < _src.Length; i++)
            if (_src[i] == '\n') starts.Add(i + 1);
        _lineStarts = [.. starts];
    }

    /// <summary>Tokenises <paramref name="source"/>; the list always ends with an Eof token.</summary>
    public static List<Token> Tokenize(string source, bool trimBlocks = true, bool lstripBlocks = true)
    {
        var lexer = new TemplateLexer(source, trimBlocks, lstripBlocks);
        lexer.Run();
        return lexer._tokens;
    }

    // Jinja joins lines with "\n" (so \r\n and \r become \n) and drops one trailing newline.
    private static string NormalizeSource(string source)
    {
        string s = source.Replace("\r\n", "\n").Replace('\r', '\n');
        return s.EndsWith('\n') ? s[..^1] : s;
    }

    private SourcePosition PositionOf(int offset)
    {
        int line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0) line = ~line - 1;
        return new SourcePosition(line + 1, offset - _lineStarts[line] + 1);
    }

    private void Run()
    {
        int pos = 0;
        bool lineStarting = true;
        while (pos < _src.Length)
        {
            int tag = FindTagStart(pos);
            string text = _src[pos..(tag < 0 ? _src.Length : tag)];
            if (tag < 0)
            {
                AddText(text, pos);
                break;
            }
            char kind = _src[tag + 1];
            char sign = tag + 2 < _src.Length ? _src[tag + 2] : '\0';
            if (sign == '-')
                text = text.TrimEnd();
            else if (sign != '+' && _lstripBlocks && kind != '{')
            {
                int lpos = text.LastIndexOf('\n') + 1;
                if ((lpos > 0 || lineStarting) && lpos < text.Length && string.IsNullOrWhiteSpace(text[lpos..]))
                    text = text[..lpos];
            }
            AddText(text, pos);
            int bodyStart = tag + 2 + (sign is '-' or '+' ? 1 : 0);
            pos = kind switch
            {
                '#' => LexComment(tag, bodyStart, out lineStarting),
                '{' => LexTag(tag, bodyStart, isBlock: false, out lineStarting),
                _ => LexBlockOrRaw(tag, bodyStart, out lineStarting),
            };
        }
        _tokens.Add(new Token(TokenKind.Eof, "", PositionOf(_src.Length)));
    }

    private void AddText(string text, int offset)
    {
        if (text.Length > 0) _tokens.Add(new Token(TokenKind.Text, text, PositionOf(offset)));
    }

    private int FindTagStart(int from)
    {
        for (int i = _src.IndexOf('{', from); i >= 0 && i + 1 < _src.Length; i = _src.IndexOf('{', i + 1))
        {
            char c = _src[i + 1];
            if (c is '{' or '%' or '#') return i;
        }
        return -1;
    }

    // After a tag end: '-' eats all following whitespace, trim_blocks eats one newline after %} and #}.
    private int AfterTagEnd(int endOffset, char sign, bool isBlockLike, out bool lineStarting)
    {
        int p = endOffset;
        if (sign == '-')
            while (p < _src.Length && char.IsWhiteSpace(_src[p])) p++;
        else if (sign != '+' && isBlockLike && _trimBlocks && p < _src.Length && _src[p] == '\n')
            p++;
        lineStarting = p > 0 && _src[p - 1] == '\n' && p > endOffset;
        return p;
    }

    private int LexComment(int tag, int bodyStart, out bool lineStarting)
    {
        int end = _src.IndexOf("#}", bodyStart, StringComparison.Ordinal);
        if (end < 0) throw PositionOf(tag).Error("unclosed comment: '{#' without '#}'");
        char sign = end > bodyStart && _src[end - 1] is '-' or '+' ? _src[end - 1] : '\0';
        return AfterTagEnd(end + 2, sign, isBlockLike: true, out lineStarting);
    }

    private int LexBlockOrRaw(int tag, int bodyStart, out bool lineStarting)
    {
        // {% raw %} ... {% endraw %}: the body is emitted verbatim.
        int p = SkipSpaces(bodyStart);
        if (string.CompareOrdinal(_src, p, "raw", 0, 3) == 0 && !IsNameChar(_src, p + 3))
        {
            int q = SkipSpaces(p + 3);
            char openSign = '\0';
            if (q < _src.Length && _src[q] is '-' or '+') openSign = _src[q++];
            if (string.CompareOrdinal(_src, q, "%}", 0, 2) == 0)
                return LexRawBody(tag, q + 2, openSign, out lineStarting);
        }
        return LexTag(tag, bodyStart, isBlock: true, out lineStarting);
    }

    private int LexRawBody(int tag, int bodyStart, char openSign, out bool lineStarting)
    {
        int start = openSign == '-' ? SkipWhitespace(bodyStart) : bodyStart;
        for (int i = _src.IndexOf("{%", start, StringComparison.Ordinal); i >= 0; i = _src.IndexOf("{%", i + 2, StringComparison.Ordinal))
        {
            int p = i + 2;
            char sign = p < _src.Length && _src[p] is '-' or '+' ? _src[p++] : '\0';
            p = SkipSpaces(p);
            if (string.CompareOrdinal(_src, p, "endraw", 0, 6) != 0 || IsNameChar(_src, p + 6)) continue;
            int q = SkipSpaces(p + 6);
            char endSign = '\0';
            if (q < _src.Length && _src[q] is '-' or '+') endSign = _src[q++];
            if (string.CompareOrdinal(_src, q, "%}", 0, 2) != 0) continue;
            string body = _src[start..i];
            if (sign == '-') body = body.TrimEnd();
            AddText(body, start);
            return AfterTagEnd(q + 2, endSign, isBlockLike: true, out lineStarting);
        }
        throw PositionOf(tag).Error("unclosed '{% raw %}' block: missing '{% endraw %}'");
    }

    private int SkipSpaces(int p)
    {
        while (p < _src.Length && _src[p] is ' ' or '\t' or '\n') p++;
        return p;
    }

    private int SkipWhitespace(int p)
    {
        while (p < _src.Length && char.IsWhiteSpace(_src[p])) p++;
        return p;
    }

    private static bool IsNameChar(string s, int i) => i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_');

    private int LexTag(int tag, int p, bool isBlock, out bool lineStarting)
    {
        _tokens.Add(new Token(isBlock ? TokenKind.BlockBegin : TokenKind.VariableBegin, isBlock ? "{%" : "{{", PositionOf(tag)));
        char close = isBlock ? '%' : '}';
        var balance = new Stack<char>();
        while (true)
        {
            while (p < _src.Length && char.IsWhiteSpace(_src[p])) p++;
            if (p >= _src.Length)
                throw PositionOf(tag).Error(isBlock ? "unclosed block tag: '{%' without '%}'" : "unclosed expression: '{{' without '}}'");
            if (balance.Count == 0)
            {
                char sign = _src[p] is '-' or '+' ? _src[p] : '\0';
                int q = sign != '\0' ? p + 1 : p;
                if (q + 1 < _src.Length && _src[q] == close && _src[q + 1] == '}' && (sign != '+' || isBlock))
                {
                    _tokens.Add(new Token(isBlock ? TokenKind.BlockEnd : TokenKind.VariableEnd, isBlock ? "%}" : "}}", PositionOf(p)));
                    return AfterTagEnd(q + 2, sign, isBlockLike: isBlock, out lineStarting);
                }
            }
            p = LexExpressionToken(p, balance);
        }
    }

    private static readonly string[] Operators =
        ["//", "**", "==", "!=", "<=", ">=", "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", "<", ">", "=", ".", ":", "|", ",", ";"];

    private int LexExpressionToken(int p, Stack<char> balance)
    {
        var at = PositionOf(p);
        char c = _src[p];
        if (char.IsLetter(c) || c == '_')
        {
            int s = p;
            while (IsNameChar(_src, p)) p++;
            _tokens.Add(new Token(TokenKind.Name, _src[s..p], at));
            return p;
        }
        if (char.IsAsciiDigit(c) || (c == '.' && p + 1 < _src.Length && char.IsAsciiDigit(_src[p + 1]) && LastIsNotValue()))
            return LexNumber(p, at);
        if (c is '\'' or '"')
            return LexString(p, at);
        foreach (string op in Operators)
        {
            if (string.CompareOrdinal(_src, p, op, 0, op.Length) != 0) continue;
            if (op is "(" or "[" or "{") balance.Push(op[0]);
            else if (op is ")" or "]" or "}")
            {
                char expected = op == ")" ? '(' : op == "]" ? '[' : '{';
                if (balance.Count == 0 || balance.Pop() != expected)
                    throw at.Error($"unexpected '{op}'");
            }
            _tokens.Add(new Token(TokenKind.Operator, op, at));
            return p + op.Length;
        }
        throw at.Error($"unexpected character '{c}'");
    }

    private bool LastIsNotValue() => _tokens.Count == 0 || _tokens[^1].Kind is not (TokenKind.Name or TokenKind.String or TokenKind.Integer or TokenKind.Float)
        && !_tokens[^1].IsOperator(")") && !_tokens[^1].IsOperator("]");

    private int LexNumber(int p, SourcePosition at)
    {
        int s = p;
        while (p < _src.Length && (char.IsAsciiDigit(_src[p]) || _src[p] == '_')) p++;
        bool isFloat = false;
        if (p + 1 < _src.Length && _src[p] == '.' && char.IsAsciiDigit(_src[p + 1]))
        {
            isFloat = true;
            p++;
            while (p < _src.Length && (char.IsAsciiDigit(_src[p]) || _src[p] == '_')) p++;
        }
        if (p < _src.Length && _src[p] is 'e' or 'E')
        {
            int q = p + 1;
            if (q < _src.Length && _src[q] is '+' or '-') q++;
            if (q < _src.Length && char.IsAsciiDigit(_src[q]))
            {
                isFloat = true;
                p = q;
                while (p < _src.Length && char.IsAsciiDigit(_src[p])) p++;
            }
        }
        _tokens.Add(new Token(isFloat ? TokenKind.Float : TokenKind.Integer, _src[s..p].Replace("_", ""), at));
        return p;
    }

    // Jinja decodes string literals with Python's unicode-escape rules.
    private int LexString(int p, SourcePosition at)
    {
        char quote = _src[p++];
        var sb = new StringBuilder();
        while (true)
        {
            if (p >= _src.Length) throw at.Error("unterminated string literal");
            char c = _src[p++];
            if (c == quote) break;
            if (c != '\\') { sb.Append(c); continue; }
            if (p >= _src.Length) throw at.Error("unterminated string literal");
            char e = _src[p++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case '\n': break;
                case 'x': sb.Append((char)ParseHex(ref p, 2, at)); break;
                case 'u': sb.Append((char)ParseHex(ref p, 4, at)); break;
                case 'U': sb.Append(char.ConvertFromUtf32(ParseHex(ref p, 8, at))); break;
                case >= '0' and <= '7':
                    {
                        int v = e - '0';
                        for (int k = 0; k < 2 && p < _src.Length && _src[p] is >= '0' and <= '7'; k++) v = v * 8 + (_src[p++] - '0');
                        sb.Append((char)v);
                        break;
                    }
                default: sb.Append('\\').Append(e); break;
            }
        }
        _tokens.Add(new Token(TokenKind.String, sb.ToString(), at));
        return p;
    }

    private int ParseHex(ref int p, int digits, SourcePosition at)
    {
        if (p + digits > _src.Length || !int.TryParse(_src.AsSpan(p, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int v))
            throw at.Error("invalid escape sequence in string literal");
        p += digits;
        return v;
    }
}
