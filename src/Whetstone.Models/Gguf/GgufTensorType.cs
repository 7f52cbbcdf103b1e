namespace Whetstone.Models.Gguf;

/// <summary>
/// A tensor's element type, by its <c>ggml_type</c> number. Whetstone writes <see cref="F32"/> and
/// <see cref="F16"/> and reads those and <see cref="BF16"/>; a file may hold other (quantized) types, which the
/// reader lists by number but cannot convert.
/// </summary>
public enum GgufTensorType : uint
{
    /// <summary>IEEE float32 (<c>GGML_TYPE_F32</c>).</summary>
    F32 = 0,
    /// <summary>IEEE float16 (<c>GGML_TYPE_F16</c>).</summary>
    F16 = 1,
    /// <summary>bfloat16 (<c>GGML_TYPE_BF16</c>).</summary>
    BF16 = 30,
}

/// <summary>Sizes of the element types Whetstone understands.</summary>
public static class GgufTensorTypes
{
    /// <summary>Bytes per element, or null for a type Whetstone does not know (a quantized block format).</summary>
    public static int? ElementSize(this GgufTensorType type) => type switch
    {
        GgufTensorType.F32 => 4,
        GgufTensorType.F16 or GgufTensorType.BF16 => 2,
        _ => null,
    };
}
