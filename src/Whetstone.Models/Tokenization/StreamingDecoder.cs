using System.Text;

namespace Whetstone.Models.Tokenization;

/// <summary>
/// Turns ids into text as they are generated. A byte-level token can end in the middle of a UTF-8
/// character (emoji and CJK are often split over two or three tokens), so the bytes of an unfinished
/// character are held back until the ids that complete it arrive. The concatenation of everything
/// <see cref="Push"/> and <see cref="Flush"/> return equals <see cref="Tokenizer.Decode"/> of all ids.
/// Not thread-safe: one decoder per generation stream.
/// </summary>
public sealed class StreamingDecoder
{
    readonly Tokenizer _tokenizer;
    readonly bool _skipSpecialTokens;
    readonly List<byte> _pending = new();

    internal StreamingDecoder(Tokenizer tokenizer, bool skipSpecialTokens)
    {
        _tokenizer = tokenizer;
        _skipSpecialTokens = skipSpecialTokens;
    }

    /// <summary>Adds one id; returns the text that is now complete (often empty while a character is unfinished).</summary>
    public string Push(int id)
    {
        _tokenizer.AppendBytes(id, _skipSpecialTokens, _pending);
        int complete = CompletePrefixLength(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending));
        if (complete == 0) return "";
        string text = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending)[..complete]);
        _pending.RemoveRange(0, complete);
        return text;
    }

    /// <summary>Returns whatever is held back (an unfinished character reads as U+FFFD) and resets.</summary>
    public string Flush()
    {
        string text = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending));
        _pending.Clear();
        return text;
    }

    /// <summary>True while bytes of an unfinished character are held back.</summary>
    public bool HasPending => _pending.Count > 0;

    /// <summary>
    /// Length of the prefix that can be decoded now: everything except a trailing sequence that is a
    /// valid start of a UTF-8 character still missing bytes. Invalid bytes are not held (they decode
    /// to U+FFFD either way).
    /// </summary>
    internal static int CompletePrefixLength(ReadOnlySpan<byte> bytes)
    {
        int n = bytes.Length;
        // A character is at most 4 bytes: look for its lead byte among the last 3.
        for (int back = 1; back <= 3 && back <= n; back++)
        {
            byte b = bytes[n - back];
            if ((b & 0xC0) == 0x80) continue; // continuation byte: keep looking for the lead
            int need = b < 0x80 ? 1 : b is >= 0xC2 and <= 0xDF ? 2 : b is >= 0xE0 and <= 0xEF ? 3 : b is >= 0xF0 and <= 0xF4 ? 4 : 0;
            if (need == 0 || need <= back) return n; // invalid lead, or the character is complete
            // Check the bytes so far can still become a valid character (no overlong/surrogate starts).
            if (back >= 2)
            {
                byte second = bytes[n - back + 1];
                bool ok = b switch
                {
                    0xE0 => second >= 0xA0,
                    0xED => second < 0xA0,
                    0xF0 => second >= 0x90,
                    0xF4 => second < 0x90,
                    _ => true,
                };
                if (!ok) return n;
            }
            return n - back;
        }
        return n;
    }
}
