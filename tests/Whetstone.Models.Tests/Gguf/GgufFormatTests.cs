using System.Buffers.Binary;
using System.Text;
using Whetstone.Models.Gguf;

namespace Whetstone.Models.Tests.Gguf;

public sealed class GgufFormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("whet-gguf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// The file for one key ("general.name" = "tiny") and one F32 tensor "w" of shape (2, 3), assembled byte by
    /// byte from the GGUF v3 spec rather than by the writer.
    /// </summary>
    private static byte[] HandBuiltFile()
    {
        var b = new List<byte>();
        void U32(uint v) { var s = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(s, v); b.AddRange(s); }
        void U64(ulong v) { var s = new byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(s, v); b.AddRange(s); }
        void Str(string s) { U64((ulong)s.Length); b.AddRange(Encoding.ASCII.GetBytes(s)); }

        b.AddRange("GGUF"u8.ToArray());       // magic            0..3
        U32(3);                                // version          4..7
        U64(1);                                // tensor count     8..15
        U64(1);                                // metadata count  16..23
        Str("general.name");                   // key: 8 + 12     24..43
        U32(8);                                // type STRING     44..47
        Str("tiny");                           // value: 8 + 4    48..59
        Str("w");                              // tensor name     60..68
        U32(2);                                // n_dims          69..72
        U64(3);                                // ne[0] = columns (innermost)
        U64(2);                                // ne[1] = rows
        U32(0);                                // GGML_TYPE_F32
        U64(0);                                // offset in data  93..100; header ends at 101
        while (b.Count % 32 != 0) b.Add(0);    // pad to 128
        foreach (var v in new float[] { 1, 2, 3, 4, 5, 6.5f })
        {
            var s = new byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(s, v);
            b.AddRange(s);
        }
        while (b.Count % 32 != 0) b.Add(0);    // 24 data bytes padded to 32: 160 bytes in all
        return [.. b];
    }

    [Fact]
    public void Writer_output_matches_the_hand_built_file_byte_for_byte()
    {
        var w = new GgufWriter();
        w.Add("general.name", GgufValue.String("tiny"));
        w.AddTensor("w", [2, 3], GgufTensorType.F32, () => new float[] { 1, 2, 3, 4, 5, 6.5f });
        var path = Path.Combine(_dir, "tiny.gguf");
        long length = w.Write(path);

        var expected = HandBuiltFile();
        Assert.Equal(160, expected.Length);
        Assert.Equal(expected.Length, length);
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void Reader_parses_the_hand_built_file()
    {
        var path = Path.Combine(_dir, "hand.gguf");
        File.WriteAllBytes(path, HandBuiltFile());
        using var f = GgufFile.Open(path);
        Assert.Equal(3u, f.Version);
        Assert.Equal(32, f.Alignment);
        Assert.Equal(128, f.DataOffset);
        Assert.Equal(["general.name"], f.Keys);
        Assert.Equal("tiny", f.Metadata["general.name"].AsString());
        var t = Assert.Single(f.Tensors);
        Assert.Equal("w", t.Name);
        Assert.Equal([3ul, 2ul], t.Dimensions);
        Assert.Equal([2, 3], t.Shape);
        Assert.Equal(GgufTensorType.F32, t.Type);
        Assert.Equal([1, 2, 3, 4, 5, 6.5f], f.ReadFloat32("w"));
    }

    [Fact]
    public void Every_value_type_round_trips()
    {
        var values = new (string Key, GgufValue Value)[]
        {
            ("u8", GgufValue.UInt8(200)), ("i8", GgufValue.Int8(-100)), ("u16", GgufValue.UInt16(60000)),
            ("i16", GgufValue.Int16(-30000)), ("u32", GgufValue.UInt32(4_000_000_000)), ("i32", GgufValue.Int32(-2_000_000_000)),
            ("f32", GgufValue.Float32(1e-6f)), ("bool", GgufValue.Bool(true)), ("str", GgufValue.String("héllo ✓ 𝐀")),
            ("u64", GgufValue.UInt64(ulong.MaxValue)), ("i64", GgufValue.Int64(long.MinValue)), ("f64", GgufValue.Float64(Math.PI)),
            ("strs", GgufValue.Array(["a b", "", "Ġworld"])), ("ints", GgufValue.Array(new[] { 1, -3, 5 })),
            ("floats", GgufValue.Array(new[] { 0.5f, -2f })), ("bools", GgufValue.Array(new[] { true, false })),
            ("empty", GgufValue.Array(Array.Empty<string>())),
        };
        var w = new GgufWriter();
        foreach (var (k, v) in values)
            w.Add(k, v);
        var path = Path.Combine(_dir, "values.gguf");
        w.Write(path);

        using var f = GgufFile.Open(path);
        Assert.Equal(values.Select(v => v.Key), f.Keys);
        foreach (var (k, v) in values)
        {
            var read = f.Metadata[k];
            Assert.Equal(v.Type, read.Type);
            Assert.Equal(v.ElementType, read.ElementType);
            Assert.Equal(v.Value, read.Value);
        }
        Assert.Empty(f.Tensors);
        Assert.Equal(-2_000_000_000L, f.Metadata["i32"].AsInteger());
        Assert.Throws<InvalidCastException>(() => f.Metadata["u32"].AsString());
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(8)]
    public void Every_tensor_starts_on_the_alignment(int alignment)
    {
        var w = new GgufWriter(alignment);
        w.Add("general.name", GgufValue.String("odd sizes"));
        var random = new Random(3);
        var data = new Dictionary<string, float[]>();
        foreach (var (name, n) in new[] { ("a", 3), ("b", 17), ("c", 1), ("d", 40) })
        {
            data[name] = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray();
            w.AddTensor(name, [n], GgufTensorType.F32, () => data[name]);
        }
        w.AddTensor("h", [5, 7], GgufTensorType.F16, () => Enumerable.Range(0, 35).Select(i => i / 8f).ToArray());
        var path = Path.Combine(_dir, "aligned.gguf");
        long length = w.Write(path);

        using var f = GgufFile.Open(path);
        Assert.Equal(alignment, f.Alignment);
        Assert.Equal(alignment != 32, f.Metadata.ContainsKey("general.alignment"));
        Assert.Equal(0, f.DataOffset % alignment);
        Assert.Equal(length, f.Length);
        Assert.Equal(0, f.Length % alignment);
        foreach (var t in f.Tensors)
            Assert.Equal(0ul, t.Offset % (ulong)alignment);
        foreach (var (name, values) in data)
            Assert.Equal(values, f.ReadFloat32(name));
        Assert.Equal(Enumerable.Range(0, 35).Select(i => i / 8f), f.ReadFloat32("h")); // multiples of 1/8 are exact in half
        Assert.Equal(70, f.ReadRaw("h").Length);
    }

    [Fact]
    public void F16_storage_rounds_to_nearest_half()
    {
        var values = new[] { 0.1f, -3.14159f, 65504f, 1e-5f, 0f };
        var w = new GgufWriter();
        w.AddTensor("h", [values.Length], GgufTensorType.F16, () => values);
        var path = Path.Combine(_dir, "half.gguf");
        w.Write(path);
        using var f = GgufFile.Open(path);
        Assert.Equal(values.Select(v => (float)(Half)v), f.ReadFloat32("h"));
    }

    [Fact]
    public void Writer_rejects_duplicates_and_a_source_of_the_wrong_length()
    {
        var w = new GgufWriter();
        w.Add("k", GgufValue.Bool(true));
        Assert.Throws<ArgumentException>(() => w.Add("k", GgufValue.Bool(false)));
        w.AddTensor("t", [2, 2], GgufTensorType.F32, () => new float[3]);
        Assert.Throws<ArgumentException>(() => w.AddTensor("t", [4], GgufTensorType.F32, () => new float[4]));
        Assert.Throws<ArgumentException>(() => w.AddTensor(new string('x', 64), [1], GgufTensorType.F32, () => new float[1]));
        var path = Path.Combine(_dir, "bad.gguf");
        var e = Assert.Throws<InvalidOperationException>(() => w.Write(path));
        Assert.Contains("'t'", e.Message);
        Assert.False(File.Exists(path)); // atomic: nothing appears when the write fails
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Corrupt_files_are_reported_with_path_and_offset()
    {
        var good = HandBuiltFile();
        var path = Path.Combine(_dir, "corrupt.gguf");

        File.WriteAllBytes(path, "GGML"u8.ToArray().Concat(good.Skip(4)).ToArray());
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => GgufFile.Open(path)).Message);

        File.WriteAllBytes(path, good[..50]); // cut inside the metadata value
        var e = Assert.Throws<InvalidDataException>(() => GgufFile.Open(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("at byte", e.Message);

        var longString = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(longString.AsSpan(24), 1UL << 40); // key length
        Assert.Contains("string of", Assert.Throws<InvalidDataException>(() => GgufFile.Open(path = Write(longString))).Message);

        var farTensor = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(farTensor.AsSpan(93), 64); // tensor offset past the data
        Assert.Contains("runs past the end", Assert.Throws<InvalidDataException>(() => GgufFile.Open(Write(farTensor))).Message);

        var version = (byte[])good.Clone();
        version[4] = 1;
        Assert.Contains("version 1", Assert.Throws<InvalidDataException>(() => GgufFile.Open(Write(version))).Message);
    }

    private string Write(byte[] bytes)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".gguf");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
