using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Whetstone.Models.Checkpoints;

/// <summary>
/// A memory-mapped <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, then the raw data. Reads convert F32, F16 and BF16 to float32.
/// Every inconsistency in the header is reported with the file's path and the tensor's name.
/// </summary>
public sealed unsafe class SafetensorsFile : IDisposable
{
    private const long MaxHeaderBytes = 100L << 20;

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly long _dataStart;

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The tensors in the file, by name.</summary>
    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }

    /// <summary>The header's free-form <c>__metadata__</c> strings.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    private SafetensorsFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, long dataStart,
        Dictionary<string, SafetensorsEntry> entries, Dictionary<string, string> metadata)
    {
        Path = path;
        _map = map;
        _view = view;
        _dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _base = p + _view.PointerOffset;
    }

    /// <summary>Opens and validates <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header is corrupt; the message names the file and the problem.</exception>
    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Checkpoint file not found: {path}", path);
        long fileLength = new FileInfo(path).Length;
        if (fileLength < 8)
            throw Corrupt(path, $"it is {fileLength} bytes long, too short for a header");

        long headerLength;
        byte[] header;
        using (var stream = File.OpenRead(path))
        {
            Span<byte> lengthBytes = stackalloc byte[8];
            stream.ReadExactly(lengthBytes);
            headerLength = BitConverter.ToInt64(lengthBytes);
            if (headerLength <= 0 || headerLength > MaxHeaderBytes || 8 + headerLength > fileLength)
                throw Corrupt(path, $"the header length {headerLength} does not fit a file of {fileLength} bytes");
            header = new byte[headerLength];
            stream.ReadExactly(header);
        }

        long dataStart = 8 + headerLength;
        var (entries, metadata) = ParseHeader(path, header, fileLength - dataStart);
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        return new SafetensorsFile(path, map, view, dataStart, entries, metadata);
    }

    private static (Dictionary<string, SafetensorsEntry>, Dictionary<string, string>) ParseHeader(
        string path, byte[] header, long dataLength)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw Corrupt(path, $"the header is not valid JSON ({e.Message})");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw Corrupt(path, "the header is not a JSON object");
            var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    if (property.Value.ValueKind == JsonValueKind.Object)
                        foreach (var m in property.Value.EnumerateObject())
                            metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                    continue;
                }
                entries[property.Name] = ParseEntry(path, property.Name, property.Value, dataLength);
            }
            return (entries, metadata);
        }
    }

    private static SafetensorsEntry ParseEntry(string path, string name, JsonElement e, long dataLength)
    {
        if (e.ValueKind != JsonValueKind.Object
            || !e.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !e.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !e.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array
            || offsets.GetArrayLength() != 2)
            throw Corrupt(path, $"tensor '{name}' needs dtype, shape and data_offsets [begin, end]");

        var dims = new int[shape.GetArrayLength()];
        int i = 0;
        foreach (var d in shape.EnumerateArray())
        {
            if (!d.TryGetInt32(out dims[i]) || dims[i] < 0)
                throw Corrupt(path, $"tensor '{name}' has an invalid shape {shape.GetRawText()}");
            i++;
        }
        if (!offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end)
            || begin < 0 || end < begin || end > dataLength)
            throw Corrupt(path, $"tensor '{name}' has data_offsets {offsets.GetRawText()} outside the {dataLength}-byte data section");

        var entry = new SafetensorsEntry(name, dtype.GetString()!, dims, begin, end - begin);
        var known = TensorDTypes.TryParse(entry.DType);
        if (known is TensorDType t && entry.ElementCount * t.Size() != entry.Length)
            throw Corrupt(path,
                $"tensor '{name}' of shape {entry.ShapeText} and dtype {entry.DType} needs {entry.ElementCount * t.Size()} bytes, but data_offsets give {entry.Length}");
        return entry;
    }

    /// <summary>Reads tensor <paramref name="name"/> as float32 into <paramref name="destination"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such tensor.</exception>
    /// <exception cref="InvalidDataException">Its dtype cannot be converted to float32.</exception>
    public void ReadFloat32(string name, Span<float> destination)
    {
        if (!Entries.TryGetValue(name, out var entry))
            throw new KeyNotFoundException($"Tensor '{name}' is not in {Path}.");
        if (destination.Length != entry.ElementCount)
            throw new ArgumentException(
                $"Tensor '{name}' in {Path} has {entry.ElementCount} elements; the destination holds {destination.Length}.",
                nameof(destination));
        var dtype = TensorDTypes.TryParse(entry.DType)
            ?? throw new InvalidDataException($"Tensor '{name}' in {Path} has dtype {entry.DType}; Whetstone loads F32, F16 and BF16.");

        byte* src = _base + _dataStart + entry.Offset;
        // Spans are limited to int.MaxValue elements; read in chunks so that very large tensors work too.
        const int chunk = 1 << 28;
        for (long start = 0; start < entry.ElementCount; start += chunk)
        {
            int count = (int)Math.Min(chunk, entry.ElementCount - start);
            var dest = destination.Slice((int)start, count);
            switch (dtype)
            {
                case TensorDType.F32:
                    new ReadOnlySpan<float>(src + start * 4, count).CopyTo(dest);
                    break;
                case TensorDType.F16:
                    FloatConversions.F16ToF32(new ReadOnlySpan<ushort>(src + start * 2, count), dest);
                    break;
                default:
                    FloatConversions.BF16ToF32(new ReadOnlySpan<ushort>(src + start * 2, count), dest);
                    break;
            }
        }
    }

    /// <summary>Reads tensor <paramref name="name"/> as a new float32 array.</summary>
    public float[] ReadFloat32(string name)
    {
        if (!Entries.TryGetValue(name, out var entry))
            throw new KeyNotFoundException($"Tensor '{name}' is not in {Path}.");
        var result = new float[entry.ElementCount];
        ReadFloat32(name, result);
        return result;
    }

    private static InvalidDataException Corrupt(string path, string problem) =>
        new($"Corrupt safetensors file {path}: {problem}.");

    /// <inheritdoc />
    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
