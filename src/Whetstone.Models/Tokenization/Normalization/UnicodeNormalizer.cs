using System.Globalization;
using System.Text;

namespace Whetstone.Models.Tokenization.Normalization;

/// <summary>
/// NFC, NFD, NFKC and NFKD on the tables in <see cref="UnicodeTables"/>. Needed because the
/// repository runs with InvariantGlobalization, where <see cref="string.Normalize()"/> is a no-op.
/// Works on code points, so surrogate pairs are handled; text whose every code point is inert
/// (no decomposition, combining class 0, never the second half of a composition) is returned as is.
/// </summary>
internal static class UnicodeNormalizer
{
    const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    static readonly Lazy<Data> Tables = new(Data.Parse);

    /// <summary>Normalizes <paramref name="text"/> to the given form.</summary>
    public static string Normalize(string text, NormalizationForm form)
    {
        var data = Tables.Value;
        bool compatibility = form is NormalizationForm.FormKC or NormalizationForm.FormKD;
        bool compose = form is NormalizationForm.FormC or NormalizationForm.FormKC;
        if (IsInert(text, data, compatibility, compose)) return text;

        var cps = new List<int>(text.Length + 8);
        for (int i = 0; i < text.Length;)
        {
            int cp = text.ConvertToUtf32OrReplacement(i, out int width);
            i += width;
            Decompose(cp, data, compatibility, cps);
        }
        ReorderMarks(cps, data);
        if (compose) Compose(cps, data);
        var sb = new StringBuilder(cps.Count);
        foreach (int cp in cps)
            if (cp < 0x10000) sb.Append((char)cp); else sb.Append(char.ConvertFromUtf32(cp));
        return sb.ToString();
    }

    /// <summary>True when normalizing cannot change <paramref name="text"/>, so the copy can be skipped.</summary>
    static bool IsInert(string text, Data data, bool compatibility, bool compose)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c < 0x80 || (compose && !compatibility && c < 0x300)) continue; // U+0000–U+02FF is all NFC_QC=Yes
            int cp = text.ConvertToUtf32OrReplacement(i, out int width);
            i += width - 1;
            if (data.CombiningClasses.ContainsKey(cp)) return false;
            // A primary composite (が, é) is already composed; other decomposable characters (singletons,
            // exclusions) change under NFC, and under NFD everything decomposable changes.
            if (data.Canonical.ContainsKey(cp) && !(compose && data.PrimaryComposites.Contains(cp))) return false;
            if (compatibility && data.Compatibility.ContainsKey(cp)) return false;
            if (compose && data.CompositionSeconds.Contains(cp)) return false;
            if (cp >= SBase && cp < SBase + SCount) { if (!compose) return false; continue; } // NFD splits syllables
            if (cp >= LBase && cp < TBase + TCount) return false; // conjoining jamo compose
        }
        return true;
    }

    static void Decompose(int cp, Data data, bool compatibility, List<int> output)
    {
        if (cp >= SBase && cp < SBase + SCount)
        {
            int s = cp - SBase;
            output.Add(LBase + s / NCount);
            output.Add(VBase + s % NCount / TCount);
            if (s % TCount != 0) output.Add(TBase + s % TCount);
            return;
        }
        if (compatibility && data.Compatibility.TryGetValue(cp, out var k)) { output.AddRange(k); return; }
        if (data.Canonical.TryGetValue(cp, out var d)) { output.AddRange(d); return; }
        output.Add(cp);
    }

    /// <summary>Canonical ordering: a stable sort of each run of non-starters by combining class.</summary>
    static void ReorderMarks(List<int> cps, Data data)
    {
        for (int i = 1; i < cps.Count; i++)
        {
            int cc = data.Class(cps[i]);
            if (cc == 0) continue;
            int j = i;
            while (j > 0 && data.Class(cps[j - 1]) > cc)
            {
                (cps[j - 1], cps[j]) = (cps[j], cps[j - 1]);
                j--;
            }
        }
    }

    /// <summary>Canonical composition (UAX #15): each mark joins the last starter unless blocked.</summary>
    static void Compose(List<int> cps, Data data)
    {
        if (cps.Count == 0) return;
        int starter = -1, write = 0, lastClass = -1;
        for (int read = 0; read < cps.Count; read++)
        {
            int cp = cps[read], cc = data.Class(cp);
            if (starter >= 0 && (lastClass < cc || (lastClass == 0 && write - 1 == starter)) && TryCompose(cps[starter], cp, data, out int composite))
            {
                cps[starter] = composite;
                continue;
            }
            if (cc == 0) { starter = write; lastClass = 0; }
            else lastClass = cc;
            cps[write++] = cp;
        }
        cps.RemoveRange(write, cps.Count - write);
    }

    static bool TryCompose(int first, int second, Data data, out int composite)
    {
        if (first >= LBase && first < LBase + LCount && second >= VBase && second < VBase + VCount)
        {
            composite = SBase + ((first - LBase) * VCount + (second - VBase)) * TCount;
            return true;
        }
        if (first >= SBase && first < SBase + SCount && (first - SBase) % TCount == 0 && second > TBase && second < TBase + TCount)
        {
            composite = first + (second - TBase);
            return true;
        }
        return data.Compositions.TryGetValue(((long)first << 21) | (uint)second, out composite);
    }

    sealed class Data
    {
        public readonly Dictionary<int, int[]> Canonical = new();
        public readonly Dictionary<int, int[]> Compatibility = new();
        public readonly Dictionary<int, int> CombiningClasses = new();
        public readonly Dictionary<long, int> Compositions = new();
        public readonly HashSet<int> CompositionSeconds = new();
        public readonly HashSet<int> PrimaryComposites = new();

        public int Class(int cp) => CombiningClasses.TryGetValue(cp, out int c) ? c : 0;

        public static Data Parse()
        {
            var d = new Data();
            foreach (var (cp, parts) in Entries(UnicodeTables.Canonical)) d.Canonical[cp] = parts;
            foreach (var (cp, parts) in Entries(UnicodeTables.Compatibility)) d.Compatibility[cp] = parts;
            foreach (var (cp, parts) in Entries(UnicodeTables.CombiningClass))
            {
                d.CombiningClasses[cp] = parts[0];
            }
            foreach (var entry in UnicodeTables.Compositions.Split(';'))
            {
                var p = entry.Split(' ');
                int first = Hex(p[0]), second = Hex(p[1]);
                d.Compositions[((long)first << 21) | (uint)second] = Hex(p[2]);
                d.CompositionSeconds.Add(second);
                d.PrimaryComposites.Add(Hex(p[2]));
            }
            return d;
        }

        static IEnumerable<(int Cp, int[] Parts)> Entries(string table)
        {
            foreach (var entry in table.Split(';'))
            {
                int colon = entry.IndexOf(':');
                int cp = Hex(entry[..colon]);
                var rest = entry[(colon + 1)..];
                // Combining classes are decimal, decompositions hex; callers know which they asked for.
                int[] parts = table == UnicodeTables.CombiningClass
                    ? [int.Parse(rest, CultureInfo.InvariantCulture)]
                    : Array.ConvertAll(rest.Split(' '), Hex);
                yield return (cp, parts);
            }
        }

        static int Hex(string s) => int.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}

/// <summary>Code-point reading that never throws on a lone surrogate.</summary>
internal static class CodePointReading
{
    /// <summary>The code point at <paramref name="index"/>; a lone surrogate reads as U+FFFD.</summary>
    public static int ConvertToUtf32OrReplacement(this string text, int index, out int width)
    {
        char c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            width = 2;
            return char.ConvertToUtf32(c, text[index + 1]);
        }
        width = 1;
        return char.IsSurrogate(c) ? 0xFFFD : c;
    }
}
