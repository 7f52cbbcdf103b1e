using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Whetstone.Models.Checkpoints;

/// <summary>Conversions between float32 and the 16-bit formats checkpoints are stored in.</summary>
public static class FloatConversions
{
    /// <summary>Widens bfloat16 bit patterns to float32 (exact: bf16 is float32 with the low 16 bits dropped).</summary>
    public static void BF16ToF32(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
            throw new ArgumentException("Destination is shorter than source.", nameof(destination));
        var bits = MemoryMarshal.Cast<float, uint>(destination);
        for (int i = 0; i < source.Length; i++)
            bits[i] = (uint)source[i] << 16;
    }

    /// <summary>Widens IEEE half bit patterns to float32 (exact).</summary>
    public static void F16ToF32(ReadOnlySpan<ushort> source, Span<float> destination) =>
        TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<ushort, Half>(source), destination);

    /// <summary>
    /// Narrows float32 to bfloat16 with round-to-nearest-even, as PyTorch does; NaN stays NaN.
    /// </summary>
    public static void F32ToBF16(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        if (destination.Length < source.Length)
            throw new ArgumentException("Destination is shorter than source.", nameof(destination));
        var bits = MemoryMarshal.Cast<float, uint>(source);
        for (int i = 0; i < bits.Length; i++)
        {
            uint b = bits[i];
            if ((b & 0x7FFF_FFFF) > 0x7F80_0000)
                destination[i] = (ushort)((b >> 16) | 0x0040); // quiet NaN, sign kept
            else
                destination[i] = (ushort)((b + 0x7FFF + ((b >> 16) & 1)) >> 16);
        }
    }

    /// <summary>Narrows float32 to IEEE half (round-to-nearest-even).</summary>
    public static void F32ToF16(ReadOnlySpan<float> source, Span<ushort> destination) =>
        TensorPrimitives.ConvertToHalf(source, MemoryMarshal.Cast<ushort, Half>(destination));
}
