namespace Whetstone.Models.Tokenization.Bpe;

/// <summary>
/// GPT-2's reversible byte ↔ character map: printable Latin-1 bytes stand for themselves, the other
/// 68 bytes (controls, space, 0x7F–0xA0, 0xAD) take the characters from U+0100 on, in byte order.
/// So 'Ġ' (U+0120) is the space byte and 'Ċ' (U+010A) is '\n'.
/// </summary>
internal static class ByteLevelAlphabet
{
    /// <summary>The character that stands for each byte.</summary>
    public static readonly char[] ByteToChar = Build();

    /// <summary>The byte each character stands for, or -1; indexed by char up to U+0143.</summary>
    public static readonly short[] CharToByte = Invert(ByteToChar);

    static char[] Build()
    {
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }

    static short[] Invert(char[] map)
    {
        var inverse = new short[map.Max() + 1];
        Array.Fill(inverse, (short)-1);
        for (int b = 0; b < 256; b++) inverse[map[b]] = (short)b;
        return inverse;
    }

    /// <summary>The bytes of a byte-level string, or null if some character is not in the alphabet.</summary>
    public static byte[]? TryDecode(string token)
    {
        var bytes = new byte[token.Length];
        for (int i = 0; i < token.Length; i++)
        {
            char c = token[i];
            if (c >= CharToByte.Length || CharToByte[c] < 0) return null;
            bytes[i] = (byte)CharToByte[c];
        }
        return bytes;
    }
}
