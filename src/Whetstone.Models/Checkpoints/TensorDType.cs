namespace Whetstone.Models.Checkpoints;

/// <summary>Element types of a checkpoint tensor that Whetstone reads (all converted to float32 on load).</summary>
public enum TensorDType
{
    /// <summary>IEEE float32 (<c>F32</c>).</summary>
    F32,
    /// <summary>IEEE float16 (<c>F16</c>).</summary>
    F16,
    /// <summary>bfloat16 (<c>BF16</c>): the top 16 bits of a float32.</summary>
    BF16,
}

/// <summary>Names and sizes of <see cref="TensorDType"/> as the safetensors header spells them.</summary>
public static class TensorDTypes
{
    /// <summary>Bytes per element.</summary>
    public static int Size(this TensorDType dtype) => dtype == TensorDType.F32 ? 4 : 2;

    /// <summary>The header spelling: <c>F32</c>, <c>F16</c>, <c>BF16</c>.</summary>
    public static string HeaderName(this TensorDType dtype) => dtype switch
    {
        TensorDType.F32 => "F32",
        TensorDType.F16 => "F16",
        _ => "BF16",
    };

    /// <summary>Parses a header spelling; null when Whetstone cannot read that type.</summary>
    public static TensorDType? TryParse(string name) => name switch
    {
        "F32" => TensorDType.F32,
        "F16" => TensorDType.F16,
        "BF16" => TensorDType.BF16,
        _ => null,
    };
}
