using System.Globalization;
using System.Text.Json;
using Whetstone.Tensors;

namespace Whetstone.Training.Checkpointing;

/// <summary>
/// Writes an <see cref="RngState"/> as JSON with every bit preserved: the four state words and the spare normal
/// sample's IEEE bits as hex strings (JSON numbers lose 64-bit integers in many readers).
/// </summary>
internal static class RngStateJson
{
    public static void Write(Utf8JsonWriter json, RngState s)
    {
        json.WriteStartObject();
        json.WriteString("s0", Hex(s.S0));
        json.WriteString("s1", Hex(s.S1));
        json.WriteString("s2", Hex(s.S2));
        json.WriteString("s3", Hex(s.S3));
        json.WriteBoolean("has_spare_normal", s.HasSpareNormal);
        json.WriteString("spare_normal_bits", Hex((ulong)BitConverter.DoubleToInt64Bits(s.SpareNormal)));
        json.WriteEndObject();
    }

    /// <summary>Reads a state; <paramref name="where"/> names the file and field for errors.</summary>
    public static RngState Read(JsonElement e, string file, string where)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw new CorruptCheckpointException(file, $"{where} is not an object.");
        ulong Word(string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            && ulong.TryParse(v.GetString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong x)
                ? x
                : throw new CorruptCheckpointException(file, $"{where}.{name} is missing or not a hex string.");
        bool hasSpare = e.TryGetProperty("has_spare_normal", out var hs) && hs.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? hs.GetBoolean()
            : throw new CorruptCheckpointException(file, $"{where}.has_spare_normal is missing or not a boolean.");
        var state = new RngState(Word("s0"), Word("s1"), Word("s2"), Word("s3"), hasSpare,
            BitConverter.Int64BitsToDouble((long)Word("spare_normal_bits")));
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
            throw new CorruptCheckpointException(file, $"{where} is the all-zero state, which no generator can be in.");
        return state;
    }

    private static string Hex(ulong x) => x.ToString("x16", CultureInfo.InvariantCulture);
}
