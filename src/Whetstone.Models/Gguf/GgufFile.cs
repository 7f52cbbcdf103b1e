using System.Runtime.InteropServices;
using Whetstone.Models.Checkpoints;

namespace Whetstone.Models.Gguf;

/// <summary>
/// A GGUF file opened for reading: header, metadata and tensor table are parsed on open (with checks that every
/// count, length and offset fits the file); tensor data is read on request and converted to float32.
/// <code>
/// using var gguf = GgufFile.Open("model.gguf");
/// string arch = gguf.Metadata["general.architecture"].AsString();
/// float[] norm = gguf.ReadFloat32("output_norm.weight");
/// </code>
/// </summary>
public sealed class GgufFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly Dictionary<string, GgufTensorInfo> _byName;

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>Format version (Whetstone writes 3; 2 has the same layout and is read too).</summary>
    public uint Version { get; }

    /// <summary>Data alignment: <c>general.alignment</c>, or 32.</summary>
    public int Alignment { get; }

    /// <summary>Byte offset of the data section; tensor offsets count from here.</summary>
    public long DataOffset { get; }

    /// <summary>Length of the file in bytes.</summary>
    public long Length { get; }

    /// <summary>Metadata keys in file order.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>Metadata by key.</summary>
    public IReadOnlyDictionary<string, GgufValue> Metadata { get; }

    /// <summary>The tensor table in file order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    private GgufFile(string path, FileStream stream, uint version, int alignment, long dataOffset,
        List<string> keys, Dictionary<string, GgufValue> metadata, List<GgufTensorInfo> tensors)
    {
        Path = path;
        _stream = stream;
        Version = version;
        Alignment = alignment;
        DataOffset = dataOffset;
        Length = stream.Length;
        Keys = keys;
        Metadata = metadata;
        Tensors = tensors;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>Opens and parses <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a GGUF file, or corrupt; the message names the file, the byte offset and the problem.</exception>
    public static GgufFile Open(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"GGUF file not found: {path}", path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return Parse(path, stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static GgufFile Parse(string path, FileStream stream)
    {
        var r = new GgufBinaryReader(stream, path, stream.Length);
        if (stream.Length < 4 || r.UInt32() != 0x46554747) // "GGUF" read little-endian
            throw new InvalidDataException($"{path} is not a GGUF file: it does not start with the magic bytes \"GGUF\".");
        uint version = r.UInt32();
        if (version is not (2 or 3))
            throw r.Corrupt($"version {version}; Whetstone reads GGUF versions 2 and 3");
        ulong tensorCount = r.UInt64();
        ulong kvCount = r.UInt64();
        // A key takes at least 12 bytes and a tensor entry at least 28: larger counts cannot fit.
        if (kvCount > (ulong)r.Remaining / 12 || tensorCount > (ulong)r.Remaining / 28)
            throw r.Corrupt($"{kvCount} metadata keys and {tensorCount} tensors cannot fit in {r.Remaining} bytes");

        var keys = new List<string>();
        var metadata = new Dictionary<string, GgufValue>(StringComparer.Ordinal);
        for (ulong i = 0; i < kvCount; i++)
        {
            var key = r.String();
            var type = (GgufValueType)r.UInt32();
            var value = GgufValue.Read(r, type);
            if (!metadata.TryAdd(key, value))
                throw r.Corrupt($"metadata key '{key}' appears twice");
            keys.Add(key);
        }

        int alignment = GgufWriter.DefaultAlignment;
        if (metadata.TryGetValue(GgufWriter.AlignmentKey, out var a))
        {
            long n = a.Type == GgufValueType.UInt32 ? a.As<uint>() : -1;
            if (n <= 0 || (n & (n - 1)) != 0)
                throw r.Corrupt($"{GgufWriter.AlignmentKey} is {a} ({a.Type}); it must be a uint32 power of two");
            alignment = (int)n;
        }

        var tensors = new List<GgufTensorInfo>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (ulong i = 0; i < tensorCount; i++)
        {
            var name = r.String();
            uint nDims = r.UInt32();
            if (nDims is < 1 or > 4)
                throw r.Corrupt($"tensor '{name}' has {nDims} dimensions; GGUF allows 1 to 4");
            var dims = new ulong[nDims];
            for (int d = 0; d < nDims; d++)
                dims[d] = r.UInt64();
            var type = (GgufTensorType)r.UInt32();
            ulong offset = r.UInt64();
            if (!names.Add(name))
                throw r.Corrupt($"tensor '{name}' appears twice");
            if (offset % (ulong)alignment != 0)
                throw r.Corrupt($"tensor '{name}' starts at data offset {offset}, not a multiple of the alignment {alignment}");
            tensors.Add(new GgufTensorInfo(name, dims, type, offset));
        }

        long dataOffset = (r.Position + alignment - 1) / alignment * alignment;
        long dataLength = stream.Length - dataOffset;
        foreach (var t in tensors)
        {
            if (t.Dimensions.Any(d => d == 0 || d > int.MaxValue))
                throw new InvalidDataException($"Corrupt GGUF file {path}: tensor '{t.Name}' has dimensions [{string.Join(", ", t.Dimensions)}].");
            if (t.ByteCount is long bytes && (long)t.Offset + bytes > dataLength)
                throw new InvalidDataException(
                    $"Corrupt GGUF file {path}: tensor '{t.Name}' ({bytes} bytes at data offset {t.Offset}) runs past the end of the {dataLength}-byte data section.");
        }
        return new GgufFile(path, stream, version, alignment, dataOffset, keys, metadata, tensors);
    }

    /// <summary>The table entry of tensor <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such tensor; the message names the file.</exception>
    public GgufTensorInfo Tensor(string name) =>
        _byName.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"Tensor '{name}' is not in {Path} ({_byName.Count} tensors).");

    /// <summary>Whether the file holds tensor <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The raw stored bytes of tensor <paramref name="name"/> (without padding).</summary>
    public byte[] ReadRaw(string name)
    {
        var t = Tensor(name);
        long bytes = t.ByteCount ?? throw new InvalidDataException(
            $"Tensor '{name}' in {Path} has ggml type {(uint)t.Type}, whose size Whetstone does not know.");
        var data = new byte[bytes];
        lock (_stream)
        {
            _stream.Seek(DataOffset + (long)t.Offset, SeekOrigin.Begin);
            _stream.ReadExactly(data);
        }
        return data;
    }

    /// <summary>Reads tensor <paramref name="name"/> (F32, F16 or BF16) as float32, in file (row-major) order.</summary>
    /// <exception cref="InvalidDataException">A type Whetstone cannot convert.</exception>
    public float[] ReadFloat32(string name)
    {
        var t = Tensor(name);
        if (t.Type is not (GgufTensorType.F32 or GgufTensorType.F16 or GgufTensorType.BF16))
            throw new InvalidDataException($"Tensor '{name}' in {Path} has ggml type {(uint)t.Type}; Whetstone reads F32, F16 and BF16.");
        var result = new float[t.ElementCount];
        // In chunks: no second full-size buffer, and tensors past 2 GB of bytes still read.
        const int chunk = 1 << 20;
        var narrow = t.Type == GgufTensorType.F32 ? [] : new ushort[chunk];
        lock (_stream)
        {
            _stream.Seek(DataOffset + (long)t.Offset, SeekOrigin.Begin);
            for (long start = 0; start < result.Length; start += chunk)
            {
                int count = (int)Math.Min(chunk, result.Length - start);
                var destination = result.AsSpan((int)start, count);
                if (t.Type == GgufTensorType.F32)
                {
                    _stream.ReadExactly(MemoryMarshal.AsBytes(destination));
                    continue;
                }
                var raw = narrow.AsSpan(0, count);
                _stream.ReadExactly(MemoryMarshal.AsBytes(raw));
                if (t.Type == GgufTensorType.F16)
                    FloatConversions.F16ToF32(raw, destination);
                else
                    FloatConversions.BF16ToF32(raw, destination);
            }
        }
        return result;
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
