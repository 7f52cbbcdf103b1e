using System.Globalization;
using System.Text;

namespace Whetstone.Models.Gguf;

/// <summary>
/// A typed GGUF metadata value: a scalar (boxed as its CLR type: <see cref="uint"/> for <c>UInt32</c>,
/// <see cref="string"/> for <c>String</c>…) or an array of one scalar type (a CLR array: <c>string[]</c>,
/// <c>int[]</c>…). Arrays of arrays, which llama.cpp does not read either, are not supported.
/// <code>
/// writer.Add("llama.block_count", GgufValue.UInt32(30));
/// uint layers = file.Metadata["llama.block_count"].As&lt;uint&gt;();
/// </code>
/// </summary>
public sealed class GgufValue
{
    private GgufValue(GgufValueType type, object value, GgufValueType elementType = default)
    {
        Type = type;
        Value = value;
        ElementType = elementType;
    }

    /// <summary>The value's type tag.</summary>
    public GgufValueType Type { get; }

    /// <summary>For an <see cref="GgufValueType.Array"/>, the type of its elements.</summary>
    public GgufValueType ElementType { get; }

    /// <summary>The boxed scalar, or the CLR array of an array value.</summary>
    public object Value { get; }

    /// <summary>An unsigned byte.</summary>
    public static GgufValue UInt8(byte v) => new(GgufValueType.UInt8, v);
    /// <summary>A signed byte.</summary>
    public static GgufValue Int8(sbyte v) => new(GgufValueType.Int8, v);
    /// <summary>A uint16.</summary>
    public static GgufValue UInt16(ushort v) => new(GgufValueType.UInt16, v);
    /// <summary>An int16.</summary>
    public static GgufValue Int16(short v) => new(GgufValueType.Int16, v);
    /// <summary>A uint32.</summary>
    public static GgufValue UInt32(uint v) => new(GgufValueType.UInt32, v);
    /// <summary>An int32.</summary>
    public static GgufValue Int32(int v) => new(GgufValueType.Int32, v);
    /// <summary>A float32.</summary>
    public static GgufValue Float32(float v) => new(GgufValueType.Float32, v);
    /// <summary>A bool.</summary>
    public static GgufValue Bool(bool v) => new(GgufValueType.Bool, v);
    /// <summary>A UTF-8 string.</summary>
    public static GgufValue String(string v) => new(GgufValueType.String, v ?? throw new ArgumentNullException(nameof(v)));
    /// <summary>A uint64.</summary>
    public static GgufValue UInt64(ulong v) => new(GgufValueType.UInt64, v);
    /// <summary>An int64.</summary>
    public static GgufValue Int64(long v) => new(GgufValueType.Int64, v);
    /// <summary>A float64.</summary>
    public static GgufValue Float64(double v) => new(GgufValueType.Float64, v);

    /// <summary>An array of strings (token lists, merges).</summary>
    public static GgufValue Array(IEnumerable<string> values) => new(GgufValueType.Array, values.ToArray(), GgufValueType.String);
    /// <summary>An array of int32 (token types).</summary>
    public static GgufValue Array(IEnumerable<int> values) => new(GgufValueType.Array, values.ToArray(), GgufValueType.Int32);
    /// <summary>An array of uint32.</summary>
    public static GgufValue Array(IEnumerable<uint> values) => new(GgufValueType.Array, values.ToArray(), GgufValueType.UInt32);
    /// <summary>An array of float32.</summary>
    public static GgufValue Array(IEnumerable<float> values) => new(GgufValueType.Array, values.ToArray(), GgufValueType.Float32);
    /// <summary>An array of uint64.</summary>
    public static GgufValue Array(IEnumerable<ulong> values) => new(GgufValueType.Array, values.ToArray(), GgufValueType.UInt64);
    /// <summary>An array of bools.</summary>
    public static GgufValue Array(IEnumerable<bool> values) => new(GgufValueType.Array, values.ToArray(), GgufValueType.Bool);

    /// <summary>The value as <typeparamref name="T"/> (<c>uint</c>, <c>string</c>, <c>string[]</c>, <c>int[]</c>…).</summary>
    /// <exception cref="InvalidCastException">The value holds another type; the message names both.</exception>
    public T As<T>() => Value is T t
        ? t
        : throw new InvalidCastException($"GGUF value of type {Describe()} cannot be read as {typeof(T).Name}.");

    /// <summary>The value as a string.</summary>
    public string AsString() => As<string>();

    /// <summary>An integer scalar of any width as a long (for keys whose writers disagree on width).</summary>
    public long AsInteger() => Value switch
    {
        byte v => v, sbyte v => v, ushort v => v, short v => v, uint v => v, int v => v, long v => v,
        ulong v when v <= long.MaxValue => (long)v,
        _ => throw new InvalidCastException($"GGUF value of type {Describe()} is not an integer."),
    };

    /// <summary>Number of elements of an array value (1 for a scalar).</summary>
    public int Count => Value is System.Array a && Type == GgufValueType.Array ? a.Length : 1;

    private string Describe() => Type == GgufValueType.Array ? $"Array<{ElementType}>" : Type.ToString();

    /// <summary>A short rendering: scalars in full, strings quoted and cut at 60 characters, arrays by length.</summary>
    public override string ToString() => Value switch
    {
        string s => "\"" + (s.Length > 60 ? s[..60] + "…" : s).Replace("\n", "\\n") + "\"",
        System.Array a => $"[{ElementType} × {a.Length}]",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(Value, CultureInfo.InvariantCulture) ?? "",
    };

    internal void Write(BinaryWriter w)
    {
        w.Write((uint)Type);
        if (Type == GgufValueType.Array)
        {
            var array = (System.Array)Value;
            w.Write((uint)ElementType);
            w.Write((ulong)array.Length);
            foreach (var item in array)
                WriteScalar(w, ElementType, item!);
        }
        else
        {
            WriteScalar(w, Type, Value);
        }
    }

    internal static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static void WriteScalar(BinaryWriter w, GgufValueType type, object v)
    {
        switch (type)
        {
            case GgufValueType.UInt8: w.Write((byte)v); break;
            case GgufValueType.Int8: w.Write((sbyte)v); break;
            case GgufValueType.UInt16: w.Write((ushort)v); break;
            case GgufValueType.Int16: w.Write((short)v); break;
            case GgufValueType.UInt32: w.Write((uint)v); break;
            case GgufValueType.Int32: w.Write((int)v); break;
            case GgufValueType.Float32: w.Write((float)v); break;
            case GgufValueType.Bool: w.Write((bool)v ? (byte)1 : (byte)0); break;
            case GgufValueType.String: WriteString(w, (string)v); break;
            case GgufValueType.UInt64: w.Write((ulong)v); break;
            case GgufValueType.Int64: w.Write((long)v); break;
            case GgufValueType.Float64: w.Write((double)v); break;
            default: throw new InvalidOperationException($"Cannot write a GGUF scalar of type {type}.");
        }
    }

    /// <summary>Reads a value of <paramref name="type"/>; bad input throws an error naming the file and offset.</summary>
    internal static GgufValue Read(GgufBinaryReader r, GgufValueType type)
    {
        if (type != GgufValueType.Array)
            return new GgufValue(type, ReadScalar(r, type));
        var elementType = (GgufValueType)r.UInt32();
        ulong count = r.UInt64();
        if (elementType == GgufValueType.Array)
            throw r.Corrupt("an array of arrays, which Whetstone (like llama.cpp) does not read");
        // Every element takes at least one byte: a count past the end of the file is corruption.
        if (count > (ulong)r.Remaining)
            throw r.Corrupt($"an array of {count} elements, more than the {r.Remaining} bytes left");
        int n = (int)count;
        System.Array values = elementType switch
        {
            GgufValueType.UInt8 => new byte[n],
            GgufValueType.Int8 => new sbyte[n],
            GgufValueType.UInt16 => new ushort[n],
            GgufValueType.Int16 => new short[n],
            GgufValueType.UInt32 => new uint[n],
            GgufValueType.Int32 => new int[n],
            GgufValueType.Float32 => new float[n],
            GgufValueType.Bool => new bool[n],
            GgufValueType.String => new string[n],
            GgufValueType.UInt64 => new ulong[n],
            GgufValueType.Int64 => new long[n],
            GgufValueType.Float64 => new double[n],
            _ => throw r.Corrupt($"an array of unknown element type {(uint)elementType}"),
        };
        for (int i = 0; i < n; i++)
            values.SetValue(ReadScalar(r, elementType), i);
        return new GgufValue(GgufValueType.Array, values, elementType);
    }

    private static object ReadScalar(GgufBinaryReader r, GgufValueType type) => type switch
    {
        GgufValueType.UInt8 => r.Byte(),
        GgufValueType.Int8 => (sbyte)r.Byte(),
        GgufValueType.UInt16 => r.UInt16(),
        GgufValueType.Int16 => (short)r.UInt16(),
        GgufValueType.UInt32 => r.UInt32(),
        GgufValueType.Int32 => (int)r.UInt32(),
        GgufValueType.Float32 => BitConverter.UInt32BitsToSingle(r.UInt32()),
        GgufValueType.Bool => r.Byte() switch
        {
            0 => false,
            1 => true,
            var b => throw r.Corrupt($"a bool of value {b}"),
        },
        GgufValueType.String => r.String(),
        GgufValueType.UInt64 => r.UInt64(),
        GgufValueType.Int64 => (long)r.UInt64(),
        GgufValueType.Float64 => BitConverter.UInt64BitsToDouble(r.UInt64()),
        _ => throw r.Corrupt($"a value of unknown type {(uint)type}"),
    };
}
