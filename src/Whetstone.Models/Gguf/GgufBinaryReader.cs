using System.Buffers.Binary;
using System.Text;

namespace Whetstone.Models.Gguf;

/// <summary>
/// Little-endian reads over a GGUF file's header, keeping the position so that errors can say where the file
/// went wrong, and refusing lengths that run past the end of the file.
/// </summary>
internal sealed class GgufBinaryReader(Stream stream, string path, long length)
{
    private readonly byte[] _scratch = new byte[8];

    /// <summary>Bytes read so far from the start of the file.</summary>
    public long Position { get; private set; }

    /// <summary>Bytes left in the file.</summary>
    public long Remaining => length - Position;

    /// <summary>An error naming the file and the offset where the problem was found.</summary>
    public InvalidDataException Corrupt(string problem) =>
        new($"Corrupt GGUF file {path}: at byte {Position}, {problem}.");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (Remaining < count)
            throw Corrupt($"the file ends ({length} bytes) in the middle of a {count}-byte field");
        stream.ReadExactly(_scratch, 0, count);
        Position += count;
        return _scratch.AsSpan(0, count);
    }

    public byte Byte() => Take(1)[0];

    public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong UInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public string String()
    {
        ulong n = UInt64();
        if (n > (ulong)Remaining)
            throw Corrupt($"a string of {n} bytes, more than the {Remaining} bytes left");
        var bytes = new byte[n];
        stream.ReadExactly(bytes);
        Position += (long)n;
        return Encoding.UTF8.GetString(bytes);
    }

    public void Skip(long count)
    {
        if (count > Remaining)
            throw Corrupt($"{count} bytes of padding, more than the {Remaining} bytes left");
        stream.Seek(count, SeekOrigin.Current);
        Position += count;
    }
}
