using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Whetstone.Models.Tokenization.PreTokenization;

/// <summary>
/// Translates the Oniguruma patterns found in tokenizer.json (Split pre-tokenizers, the GPT-2
/// ByteLevel regex) into .NET regular expressions with the same matches.
/// </summary>
/// <remarks>
/// Oniguruma matches code points; .NET matches UTF-16 chars, so <c>\p{L}</c> in .NET never matches a
/// letter outside the BMP (𝐀, 𠀀) and <c>[^\p{L}]?</c> can eat half an emoji. Every character class
/// is therefore rewritten as "a BMP class without surrogates, or a surrogate pair whose code point is
/// in the class", with the astral part enumerated from the Unicode categories at load time. Other
/// differences handled: <c>^</c>/<c>$</c> are per line, <c>(?m)</c> means dot-all, <c>\w</c> includes
/// all marks, and under <c>(?i)</c> 's' also matches 'ſ' (U+017F) as Unicode case folding says.
/// </remarks>
internal static class OnigurumaPattern
{
    static readonly ConcurrentDictionary<string, string> AstralCache = new();

    /// <summary>Translates and compiles <paramref name="pattern"/>.</summary>
    public static Regex Compile(string pattern) =>
        new(Translate(pattern), RegexOptions.Compiled | RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>The .NET pattern that matches what Oniguruma matches for <paramref name="pattern"/>.</summary>
    /// <exception cref="NotSupportedException">A construct with no faithful translation (nested classes, possessive quantifiers, scripts).</exception>
    public static string Translate(string pattern) => new Translator(pattern).Run();

    sealed class Translator(string pattern)
    {
        readonly StringBuilder _out = new();
        readonly Stack<bool> _ignoreCaseStack = new();
        bool _ignoreCase;
        int _i;

        public string Run()
        {
            while (_i < pattern.Length)
            {
                char c = pattern[_i];
                switch (c)
                {
                    case '\\': EscapeOutsideClass(); break;
                    case '[': _out.Append(Emit(ParseClass())); break;
                    case '.': _i++; _out.Append(Emit(new ClassSpec(true, [new Item.Range('\n', '\n')]))); break;
                    case '(': OpenGroup(); break;
                    case ')':
                        _i++;
                        _out.Append(')');
                        _ignoreCase = _ignoreCaseStack.Count > 0 ? _ignoreCaseStack.Pop() : throw Error("unbalanced ')'");
                        break;
                    case '*' or '+' or '?':
                        _i++;
                        _out.Append(c);
                        if (_i < pattern.Length && pattern[_i] == '+')
                            throw Error("possessive quantifiers are not supported");
                        if (_i < pattern.Length && pattern[_i] == '?') { _out.Append('?'); _i++; }
                        break;
                    case '{' or '}' or '|' or '^' or '$':
                        _i++;
                        _out.Append(c);
                        break;
                    default:
                        Literal(ReadCodePoint());
                        break;
                }
            }
            if (_ignoreCaseStack.Count > 0) throw Error("unbalanced '('");
            return _out.ToString();
        }

        void OpenGroup()
        {
            _i++;
            _ignoreCaseStack.Push(_ignoreCase);
            if (_i >= pattern.Length || pattern[_i] != '?') { _out.Append('('); return; }
            // (?imx-imx) and (?imx-imx:...) change options; everything else ((?:, (?=, (?!, (?<=, (?>, (?<name>) passes through.
            int j = _i + 1;
            var flags = new StringBuilder();
            bool on = true, ignoreCase = _ignoreCase;
            while (j < pattern.Length && "imx-".Contains(pattern[j]))
            {
                char f = pattern[j++];
                if (f == '-') { on = false; flags.Append('-'); continue; }
                if (f == 'i') ignoreCase = on;
                flags.Append(f == 'm' ? 's' : f); // Ruby's (?m) is .NET's (?s).
            }
            if (flags.Length > 0 && j < pattern.Length && (pattern[j] == ':' || pattern[j] == ')'))
            {
                _out.Append("(?").Append(flags).Append(pattern[j]);
                _i = j + 1;
                if (pattern[j] == ')')
                {
                    // "(?i)" applies to the rest of the enclosing group: undo the push, keep the flag.
                    _ignoreCaseStack.Pop();
                    _ignoreCase = ignoreCase;
                }
                else _ignoreCase = ignoreCase;
                return;
            }
            _out.Append('(');
        }

        void EscapeOutsideClass()
        {
            if (_i + 1 >= pattern.Length) throw Error("trailing backslash");
            char e = pattern[_i + 1];
            switch (e)
            {
                case 'A' or 'z' or 'Z' or 'b' or 'B' or 'G':
                    _out.Append('\\').Append(e);
                    _i += 2;
                    return;
                case >= '1' and <= '9':
                    _out.Append('\\').Append(e);
                    _i += 2;
                    return;
                case 'k':
                    int close = pattern.IndexOf('>', _i);
                    if (close < 0) throw Error("unterminated \\k<name>");
                    _out.Append(pattern, _i, close - _i + 1);
                    _i = close + 1;
                    return;
            }
            var item = ParseEscape(out int literal);
            if (item is null) Literal(literal);
            else if (item is Item.Word { Negated: true }) { _out.Append(Emit(new ClassSpec(true, [new Item.Word(false)]))); }
            else _out.Append(Emit(new ClassSpec(false, [item])));
        }

        void Literal(int cp)
        {
            if (_ignoreCase && (cp == 's' || cp == 'S')) { _out.Append("[sſ]"); return; }
            if (cp > 0xFFFF) { _out.Append("(?:").Append(EscapeChar(char.ConvertFromUtf32(cp)[0])).Append(EscapeChar(char.ConvertFromUtf32(cp)[1])).Append(')'); return; }
            _out.Append(Regex.Escape(((char)cp).ToString()) is var s && s.Length == 1 ? s : EscapeChar((char)cp));
        }

        ClassSpec ParseClass()
        {
            _i++; // '['
            bool negated = false;
            if (_i < pattern.Length && pattern[_i] == '^') { negated = true; _i++; }
            var items = new List<Item>();
            bool first = true;
            while (true)
            {
                if (_i >= pattern.Length) throw Error("unterminated character class");
                char c = pattern[_i];
                if (c == ']' && !first) { _i++; break; }
                first = false;
                if (c == '[') throw Error("nested character classes are not supported");
                if (c == '&' && _i + 1 < pattern.Length && pattern[_i + 1] == '&') throw Error("class intersection (&&) is not supported");
                int lo;
                if (c == '\\')
                {
                    var item = ParseEscape(out lo);
                    if (item is not null) { items.Add(item); continue; }
                }
                else lo = ReadCodePoint();
                if (_i + 1 < pattern.Length && pattern[_i] == '-' && pattern[_i + 1] != ']')
                {
                    _i++;
                    int hi;
                    if (pattern[_i] == '\\')
                    {
                        if (ParseEscape(out hi) is not null) throw Error("a class cannot end a range");
                    }
                    else hi = ReadCodePoint();
                    if (hi < lo) throw Error("range out of order");
                    items.Add(new Item.Range(lo, hi));
                }
                else items.Add(new Item.Range(lo, lo));
            }
            return new ClassSpec(negated, items);
        }

        /// <summary>Reads an escape at _i; returns a class item, or null with the literal code point.</summary>
        Item? ParseEscape(out int literal)
        {
            literal = 0;
            char e = pattern[_i + 1];
            _i += 2;
            switch (e)
            {
                case 'p' or 'P':
                    if (_i >= pattern.Length || pattern[_i] != '{') throw Error($"\\{e} needs {{Name}}");
                    int end = pattern.IndexOf('}', _i);
                    if (end < 0) throw Error("unterminated \\p{...}");
                    string name = pattern[(_i + 1)..end];
                    _i = end + 1;
                    bool neg = e == 'P';
                    if (name.StartsWith('^')) { neg = !neg; name = name[1..]; }
                    var (abbreviation, categories) = CategoryNames.Resolve(name) ?? throw Error($"unsupported Unicode property \\p{{{name}}}");
                    return new Item.Category(abbreviation, categories, neg);
                case 's': return new Item.Space(false);
                case 'S': return new Item.Space(true);
                case 'd': return new Item.Digit(false);
                case 'D': return new Item.Digit(true);
                case 'w': return new Item.Word(false);
                case 'W': return new Item.Word(true);
                case 't': literal = '\t'; return null;
                case 'n': literal = '\n'; return null;
                case 'r': literal = '\r'; return null;
                case 'f': literal = '\f'; return null;
                case 'v': literal = '\v'; return null;
                case 'a': literal = '\a'; return null;
                case 'e': literal = 0x1B; return null;
                case '0': literal = 0; return null;
                case 'x':
                    if (_i < pattern.Length && pattern[_i] == '{')
                    {
                        int close = pattern.IndexOf('}', _i);
                        if (close < 0) throw Error("unterminated \\x{...}");
                        literal = int.Parse(pattern.AsSpan(_i + 1, close - _i - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                        _i = close + 1;
                    }
                    else { literal = int.Parse(pattern.AsSpan(_i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture); _i += 2; }
                    return null;
                case 'u':
                    literal = int.Parse(pattern.AsSpan(_i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    _i += 4;
                    return null;
                default:
                    if (char.IsAsciiLetterOrDigit(e)) throw Error($"unsupported escape \\{e}");
                    _i -= 1;
                    literal = ReadCodePoint();
                    return null;
            }
        }

        int ReadCodePoint()
        {
            char c = pattern[_i];
            if (char.IsHighSurrogate(c) && _i + 1 < pattern.Length && char.IsLowSurrogate(pattern[_i + 1]))
            {
                _i += 2;
                return char.ConvertToUtf32(c, pattern[_i - 1]);
            }
            _i++;
            return c;
        }

        ArgumentException Error(string what) => new($"Regex pattern '{pattern}': {what} (at offset {_i}).");

        /// <summary>(?:[BMP class minus surrogates]|surrogate pairs of the astral members).</summary>
        static string Emit(ClassSpec spec)
        {
            string? bmp = spec.BmpClass();
            string astral = AstralCache.GetOrAdd(spec.Key, _ => AstralAlternation(spec));
            if (astral.Length == 0) return bmp ?? "(?!)";
            // The lookahead makes every BMP char fail the astral branch at once instead of trying each alternative.
            return bmp is null ? $"(?=[\\uD800-\\uDBFF])(?:{astral})" : $"(?:{bmp}|(?=[\\uD800-\\uDBFF])(?:{astral}))";
        }

        static string AstralAlternation(ClassSpec spec)
        {
            var full = new List<int>();
            var alternatives = new List<string>();
            for (int high = 0; high < 1024; high++)
            {
                int baseCp = 0x10000 + (high << 10);
                var lows = new StringBuilder();
                int count = 0, runStart = -1;
                for (int low = 0; low <= 1024; low++)
                {
                    bool member = low < 1024 && spec.Contains(baseCp + low);
                    if (member) { count++; if (runStart < 0) runStart = low; continue; }
                    if (runStart < 0) continue;
                    lows.Append(EscapeChar((char)(0xDC00 + runStart)));
                    if (low - 1 > runStart) lows.Append('-').Append(EscapeChar((char)(0xDC00 + low - 1)));
                    runStart = -1;
                }
                if (count == 1024) full.Add(high);
                else if (count > 0) alternatives.Add($"{EscapeChar((char)(0xD800 + high))}[{lows}]");
            }
            if (full.Count > 0)
            {
                var highs = new StringBuilder();
                for (int k = 0; k < full.Count;)
                {
                    int start = full[k];
                    while (k + 1 < full.Count && full[k + 1] == full[k] + 1) k++;
                    highs.Append(EscapeChar((char)(0xD800 + start)));
                    if (full[k] > start) highs.Append('-').Append(EscapeChar((char)(0xD800 + full[k])));
                    k++;
                }
                alternatives.Insert(0, $"[{highs}][\\uDC00-\\uDFFF]");
            }
            return string.Join('|', alternatives);
        }
    }

    internal static string EscapeChar(char c) => $"\\u{(int)c:X4}";

    sealed record ClassSpec(bool Negated, List<Item> Items)
    {
        public string Key => (Negated ? "^" : "") + string.Join(",", Items);

        public bool Contains(int cp)
        {
            bool any = false;
            foreach (var item in Items) if (item.Contains(cp)) { any = true; break; }
            return any != Negated;
        }

        /// <summary>The BMP part as a .NET class with surrogates removed, or null when it has no BMP members.</summary>
        public string? BmpClass()
        {
            var sb = new StringBuilder();
            foreach (var item in Items)
            {
                string? s = item.BmpSyntax();
                if (s is null && item is Item.Word { Negated: true }) throw new NotSupportedException(@"\W inside a character class is not supported");
                sb.Append(s);
            }
            if (sb.Length == 0 && !Negated) return null;
            return $"[{(Negated ? "^" : "")}{sb}-[\\uD800-\\uDFFF]]";
        }
    }

    abstract record Item
    {
        public abstract bool Contains(int cp);
        public abstract string? BmpSyntax();

        public sealed record Range(int Lo, int Hi) : Item
        {
            public override bool Contains(int cp) => cp >= Lo && cp <= Hi;
            public override string? BmpSyntax() => Lo > 0xFFFF ? null
                : Hi == Lo ? EscapeChar((char)Lo) : $"{EscapeChar((char)Lo)}-{EscapeChar((char)Math.Min(Hi, 0xFFFF))}";
        }

        public sealed record Category(string Abbreviation, UnicodeCategory[] Categories, bool Negated) : Item
        {
            public override bool Contains(int cp) => Array.IndexOf(Categories, CharUnicodeInfo.GetUnicodeCategory(cp)) >= 0 != Negated;
            public override string BmpSyntax() => $"\\{(Negated ? 'P' : 'p')}{{{Abbreviation}}}";
            public override string ToString() => $"{(Negated ? "P" : "p")}{Abbreviation}";
        }

        public sealed record Space(bool Negated) : Item
        {
            // Oniguruma's \s is White_Space; no astral code point has it, and in the BMP it equals .NET's \s.
            public override bool Contains(int cp) => (cp <= 0xFFFF && char.IsWhiteSpace((char)cp) && !(cp >= 0x1C && cp <= 0x1F)) != Negated;
            public override string BmpSyntax() => Negated ? @"\S" : @"\s";
        }

        public sealed record Digit(bool Negated) : Item
        {
            public override bool Contains(int cp) => (CharUnicodeInfo.GetUnicodeCategory(cp) == UnicodeCategory.DecimalDigitNumber) != Negated;
            public override string BmpSyntax() => Negated ? @"\D" : @"\d";
        }

        public sealed record Word(bool Negated) : Item
        {
            public override bool Contains(int cp) => IsWord(cp) != Negated;
            public override string? BmpSyntax() => Negated ? null : @"\p{L}\p{M}\p{Nd}\p{Pc}";

            static bool IsWord(int cp) => CharUnicodeInfo.GetUnicodeCategory(cp) switch
            {
                UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                    or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
                    or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                    or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation => true,
                _ => false,
            };
        }
    }
}
