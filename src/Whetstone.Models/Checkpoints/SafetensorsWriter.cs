using System.Runtime.InteropServices;
using System.Text.Json;

namespace Whetstone.Models.Checkpoints;

/// <summary>Writes float32 tensors to a <c>.safetensors</c> file as F32 or BF16, atomically.</summary>
public static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> in <paramref name="dtype"/>.</summary>
    /// <param name="path">Destination file; replaced atomically.</param>
    /// <param name="tensors">Tensors in the order their data is laid out.</param>
    /// <param name="dtype">F32 or BF16 (F16 also works).</param>
    /// <param name="metadata">Optional <c>__metadata__</c> strings; HF writes <c>{"format":"pt"}</c>.</param>
    public static void Write(string path, IReadOnlyList<NamedTensor> tensors, TensorDType dtype = TensorDType.F32,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = BuildHeader(tensors, dtype, metadata ?? new Dictionary<string, string> { ["format"] = "pt" });
        AtomicFile.Write(path, stream =>
        {
            stream.Write(BitConverter.GetBytes((long)header.Length));
            stream.Write(header);
            var narrow = dtype == TensorDType.F32 ? [] : new ushort[1 << 20];
            foreach (var t in tensors)
            {
                var data = t.Data.Span;
                if (dtype == TensorDType.F32)
                {
                    stream.Write(MemoryMarshal.AsBytes(data));
                    continue;
                }
                for (int start = 0; start < data.Length; start += narrow.Length)
                {
                    int count = Math.Min(narrow.Length, data.Length - start);
                    var chunk = narrow.AsSpan(0, count);
                    if (dtype == TensorDType.BF16)
                        FloatConversions.F32ToBF16(data.Slice(start, count), chunk);
                    else
                        FloatConversions.F32ToF16(data.Slice(start, count), chunk);
                    stream.Write(MemoryMarshal.AsBytes((ReadOnlySpan<ushort>)chunk));
                }
            }
        });
    }

    private static byte[] BuildHeader(IReadOnlyList<NamedTensor> tensors, TensorDType dtype, IReadOnlyDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            foreach (var (k, v) in metadata)
                json.WriteString(k, v);
            json.WriteEndObject();
            long offset = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var t in tensors)
            {
                long count = t.Shape.Aggregate(1L, (a, d) => a * d);
                if (count != t.Data.Length)
                    throw new ArgumentException(
                        $"Tensor '{t.Name}' has shape {ShapeFormat.Format(t.Shape)} ({count} elements) but {t.Data.Length} values.");
                if (!seen.Add(t.Name))
                    throw new ArgumentException($"Tensor '{t.Name}' appears twice.");
                json.WriteStartObject(t.Name);
                json.WriteString("dtype", dtype.HeaderName());
                json.WriteStartArray("shape");
                foreach (var d in t.Shape)
                    json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += count * dtype.Size();
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        // The data section starts 8-byte aligned, as the reference writer pads the header with spaces.
        var bytes = buffer.ToArray();
        int padded = (bytes.Length + 7) / 8 * 8;
        var header = new byte[padded];
        bytes.CopyTo(header, 0);
        header.AsSpan(bytes.Length).Fill((byte)' ');
        return header;
    }

}
