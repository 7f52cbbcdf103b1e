using System.Text;
using Whetstone.Models.Checkpoints;

namespace Whetstone.Models.Tests.Checkpoints;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("whet-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Builds a file byte by byte as the format specifies, independent of SafetensorsWriter.</summary>
    private string HandBuilt(string header, byte[] data, string name = "hand.safetensors")
    {
        var path = Path.Combine(_dir, name);
        var headerBytes = Encoding.UTF8.GetBytes(header);
        using var f = File.Create(path);
        f.Write(BitConverter.GetBytes((long)headerBytes.Length));
        f.Write(headerBytes);
        f.Write(data);
        return path;
    }

    [Fact]
    public void Reads_f32_f16_and_bf16_as_float32()
    {
        var data = new List<byte>();
        data.AddRange(BitConverter.GetBytes(1.5f));
        data.AddRange(BitConverter.GetBytes(-2.25f));
        data.AddRange(BitConverter.GetBytes((Half)0.5f));            // f16 0x3800
        data.AddRange(BitConverter.GetBytes((Half)(-3.0f)));
        data.AddRange(BitConverter.GetBytes((ushort)0x3FC0));        // bf16 1.5
        data.AddRange(BitConverter.GetBytes((ushort)0xC080));        // bf16 -4
        var path = HandBuilt("""
            {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},
             "b":{"dtype":"F16","shape":[1,2],"data_offsets":[8,12]},
             "c":{"dtype":"BF16","shape":[2],"data_offsets":[12,16]},
             "__metadata__":{"format":"pt"}}
            """, data.ToArray());
        using var file = SafetensorsFile.Open(path);
        Assert.Equal([1.5f, -2.25f], file.ReadFloat32("a"));
        Assert.Equal([0.5f, -3.0f], file.ReadFloat32("b"));
        Assert.Equal([1.5f, -4.0f], file.ReadFloat32("c"));
        Assert.Equal([1, 2], file.Entries["b"].Shape);
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Fact]
    public void Writer_round_trips_f32_exactly()
    {
        var rng = new Random(1);
        var a = Enumerable.Range(0, 37).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var b = Enumerable.Range(0, 6).Select(i => (float)i).ToArray();
        var path = Path.Combine(_dir, "w.safetensors");
        SafetensorsWriter.Write(path, [new("x.weight", [37], a), new("y", [2, 3], b)]);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(a, file.ReadFloat32("x.weight"));
        Assert.Equal(b, file.ReadFloat32("y"));
        Assert.Equal([2, 3], file.Entries["y"].Shape);
    }

    [Fact]
    public void Bf16_narrowing_rounds_to_nearest_even()
    {
        // 1 + 2^-8 lies exactly between bf16 1.0 (0x3F80) and 1 + 2^-7 (0x3F81): ties go to the even 0x3F80.
        // 1 + 3·2^-8 lies between 0x3F81 and 0x3F82: ties go to the even 0x3F82.
        float[] values = [1f + 1f / 256, 1f + 3f / 256, 1f + 1f / 256 + 1f / 65536, float.NaN, float.PositiveInfinity, -0f];
        var bits = new ushort[values.Length];
        FloatConversions.F32ToBF16(values, bits);
        Assert.Equal((ushort)0x3F80, bits[0]);
        Assert.Equal((ushort)0x3F82, bits[1]);
        Assert.Equal((ushort)0x3F81, bits[2]);
        var back = new float[values.Length];
        FloatConversions.BF16ToF32(bits, back);
        Assert.True(float.IsNaN(back[3]));
        Assert.Equal(float.PositiveInfinity, back[4]);
        Assert.True(float.IsNegative(back[5]));
    }

    [Fact]
    public void Writer_stores_bf16_within_its_precision()
    {
        var rng = new Random(2);
        var a = Enumerable.Range(0, 1000).Select(_ => (float)(rng.NextDouble() * 20 - 10)).ToArray();
        var path = Path.Combine(_dir, "bf.safetensors");
        SafetensorsWriter.Write(path, [new("a", [10, 100], a)], TensorDType.BF16);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal("BF16", file.Entries["a"].DType);
        var back = file.ReadFloat32("a");
        for (int i = 0; i < a.Length; i++)
            Assert.True(MathF.Abs(back[i] - a[i]) <= MathF.Abs(a[i]) / 256, $"{a[i]} -> {back[i]}");
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("header-too-long")]
    [InlineData("bad-json")]
    [InlineData("offsets-outside")]
    [InlineData("size-mismatch")]
    public void Corrupt_files_fail_with_the_path_and_problem(string kind)
    {
        string path = kind switch
        {
            "truncated" => WriteRaw([1, 2, 3]),
            "header-too-long" => HandBuiltWithLength(1_000_000, "{}"),
            "bad-json" => HandBuilt("{\"a\":", []),
            "offsets-outside" => HandBuilt("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", new byte[8]),
            _ => HandBuilt("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", new byte[8]),
        };
        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains(path, error.Message);
        if (kind is "offsets-outside" or "size-mismatch")
            Assert.Contains("tensor 'a'", error.Message);
    }

    [Fact]
    public void Unsupported_dtype_is_listed_but_reading_it_names_the_dtype()
    {
        var path = HandBuilt("""{"ids":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""", new byte[8]);
        using var file = SafetensorsFile.Open(path);
        var error = Assert.Throws<InvalidDataException>(() => file.ReadFloat32("ids"));
        Assert.Contains("I64", error.Message);
    }

    private string WriteRaw(byte[] bytes)
    {
        var path = Path.Combine(_dir, "raw.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string HandBuiltWithLength(long claimed, string header)
    {
        var path = Path.Combine(_dir, "len.safetensors");
        using var f = File.Create(path);
        f.Write(BitConverter.GetBytes(claimed));
        f.Write(Encoding.UTF8.GetBytes(header));
        return path;
    }
}
