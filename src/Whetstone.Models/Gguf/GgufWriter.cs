using System.Runtime.InteropServices;
using System.Text;
using Whetstone.Models.Checkpoints;

namespace Whetstone.Models.Gguf;

/// <summary>
/// Writes a GGUF v3 file: the header (magic <c>GGUF</c>, version 3, tensor count, metadata count), the metadata
/// key/value pairs in the order they were added, the tensor table, zero padding to the alignment, then each
/// tensor's data padded to the alignment. Tensors are pulled from their sources one at a time while the file
/// is written, so a multi-GB model never sits in memory twice; the file appears atomically (temp + rename).
/// <code>
/// var w = new GgufWriter();
/// w.Add("general.architecture", GgufValue.String("llama"));
/// w.AddTensor("output_norm.weight", [576], GgufTensorType.F32, () => norm);
/// w.Write("model.gguf");
/// </code>
/// </summary>
public sealed class GgufWriter
{
    /// <summary>The alignment llama.cpp assumes when <c>general.alignment</c> is absent.</summary>
    public const int DefaultAlignment = 32;

    /// <summary>The metadata key that overrides <see cref="DefaultAlignment"/>.</summary>
    public const string AlignmentKey = "general.alignment";

    private static readonly byte[] Magic = "GGUF"u8.ToArray();
    private const int ChunkElements = 1 << 16;

    private readonly List<KeyValuePair<string, GgufValue>> _metadata = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly List<PendingTensor> _tensors = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private ulong _nextOffset;

    private sealed record PendingTensor(GgufTensorInfo Info, Func<ReadOnlyMemory<float>> Data);

    /// <summary>Starts an empty file.</summary>
    /// <param name="alignment">Data alignment in bytes, a power of two; anything but 32 is recorded as
    /// <c>general.alignment</c> (written first).</param>
    public GgufWriter(int alignment = DefaultAlignment)
    {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "The alignment must be a power of two.");
        Alignment = alignment;
        if (alignment != DefaultAlignment)
            Add(AlignmentKey, GgufValue.UInt32((uint)alignment));
    }

    /// <summary>Data alignment in bytes.</summary>
    public int Alignment { get; }

    /// <summary>The metadata added so far, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata => _metadata;

    /// <summary>The tensor table so far, in file order, with the offsets the data will have.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors => _tensors.Select(t => t.Info).ToList();

    /// <summary>Adds a metadata key.</summary>
    /// <exception cref="ArgumentException">The key is empty or already present.</exception>
    public void Add(string key, GgufValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!_keys.Add(key))
            throw new ArgumentException($"GGUF metadata key '{key}' is added twice.", nameof(key));
        _metadata.Add(new(key, value));
    }

    /// <summary>
    /// Adds a tensor whose float32 values <paramref name="data"/> produces when the file is written; they are
    /// stored as <paramref name="type"/> (F32, or F16 rounded to nearest even).
    /// </summary>
    /// <param name="name">GGUF name; llama.cpp allows at most 63 bytes.</param>
    /// <param name="shape">Shape outermost first (PyTorch order); the file stores it reversed.</param>
    /// <param name="type">F32 or F16.</param>
    /// <param name="data">Called once, during <see cref="Write(Stream)"/>; must return exactly the shape's element count.</param>
    public GgufTensorInfo AddTensor(string name, ReadOnlySpan<int> shape, GgufTensorType type, Func<ReadOnlyMemory<float>> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(data);
        if (Encoding.UTF8.GetByteCount(name) >= 64)
            throw new ArgumentException($"GGUF tensor name '{name}' is 64 bytes or longer; llama.cpp reads at most 63.", nameof(name));
        if (type is not (GgufTensorType.F32 or GgufTensorType.F16))
            throw new ArgumentException($"Tensor '{name}': Whetstone writes F32 and F16, not {type}.", nameof(type));
        if (shape.Length is < 1 or > 4)
            throw new ArgumentException($"Tensor '{name}' has {shape.Length} dimensions; GGUF allows 1 to 4.", nameof(shape));
        foreach (var d in shape)
            if (d <= 0)
                throw new ArgumentException($"Tensor '{name}' has a non-positive dimension in {ShapeFormat.Format(shape)}.", nameof(shape));
        if (!_names.Add(name))
            throw new ArgumentException($"GGUF tensor '{name}' is added twice.", nameof(name));

        var dims = new ulong[shape.Length];
        for (int i = 0; i < shape.Length; i++)
            dims[i] = (ulong)shape[shape.Length - 1 - i];
        var info = new GgufTensorInfo(name, dims, type, _nextOffset);
        _nextOffset += (ulong)Align(info.ByteCount!.Value);
        _tensors.Add(new PendingTensor(info, data));
        return info;
    }

    /// <summary>Bytes the whole file will take.</summary>
    public long FileLength => DataOffset() + (long)_nextOffset;

    /// <summary>Writes the file to <paramref name="path"/> atomically; returns its length in bytes.</summary>
    public long Write(string path)
    {
        AtomicFile.Write(path, Write);
        return FileLength;
    }

    /// <summary>Writes the file to <paramref name="stream"/>, pulling each tensor's data in turn.</summary>
    public void Write(Stream stream)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(3u);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)_metadata.Count);
        foreach (var (key, value) in _metadata)
        {
            GgufValue.WriteString(w, key);
            value.Write(w);
        }
        foreach (var t in _tensors)
        {
            GgufValue.WriteString(w, t.Info.Name);
            w.Write((uint)t.Info.Dimensions.Length);
            foreach (var d in t.Info.Dimensions)
                w.Write(d);
            w.Write((uint)t.Info.Type);
            w.Write(t.Info.Offset);
        }
        w.Flush();
        long headerLength = HeaderLength();
        WritePadding(stream, Align(headerLength) - headerLength);

        var narrow = new ushort[ChunkElements];
        foreach (var t in _tensors)
        {
            var values = t.Data();
            if (values.Length != t.Info.ElementCount)
                throw new InvalidOperationException(
                    $"Tensor '{t.Info.Name}' of shape {ShapeFormat.Format(t.Info.Shape)} needs {t.Info.ElementCount} values; its source gave {values.Length}.");
            WriteData(stream, values.Span, t.Info.Type, narrow);
            long bytes = t.Info.ByteCount!.Value;
            WritePadding(stream, Align(bytes) - bytes);
        }
    }

    private static void WriteData(Stream stream, ReadOnlySpan<float> values, GgufTensorType type, ushort[] narrow)
    {
        if (type == GgufTensorType.F32)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        for (int start = 0; start < values.Length; start += narrow.Length)
        {
            int count = Math.Min(narrow.Length, values.Length - start);
            FloatConversions.F32ToF16(values.Slice(start, count), narrow.AsSpan(0, count));
            stream.Write(MemoryMarshal.AsBytes(narrow.AsSpan(0, count)));
        }
    }

    private static void WritePadding(Stream stream, long count)
    {
        Span<byte> zeros = stackalloc byte[64];
        zeros.Clear();
        while (count > 0)
        {
            int n = (int)Math.Min(count, zeros.Length);
            stream.Write(zeros[..n]);
            count -= n;
        }
    }

    private long Align(long n) => (n + Alignment - 1) / Alignment * Alignment;

    private long DataOffset() => Align(HeaderLength());

    /// <summary>Bytes before the padding that precedes the data: magic, counts, metadata and tensor table.</summary>
    private long HeaderLength()
    {
        using var counter = new CountingStream();
        using (var w = new BinaryWriter(counter, Encoding.UTF8, leaveOpen: true))
        {
            foreach (var (key, value) in _metadata)
            {
                GgufValue.WriteString(w, key);
                value.Write(w);
            }
        }
        long tensorTable = _tensors.Sum(t => 8L + Encoding.UTF8.GetByteCount(t.Info.Name) + 4 + 8L * t.Info.Dimensions.Length + 4 + 8);
        return 4 + 4 + 8 + 8 + counter.Length + tensorTable;
    }

    /// <summary>A write-only stream that only counts bytes, to size the header without holding it.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
