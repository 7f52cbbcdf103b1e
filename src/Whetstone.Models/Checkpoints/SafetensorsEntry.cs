namespace Whetstone.Models.Checkpoints;

/// <summary>One tensor listed in a safetensors header.</summary>
/// <param name="Name">Its name, e.g. <c>model.layers.0.self_attn.q_proj.weight</c>.</param>
/// <param name="DType">The dtype as the header spells it (<c>F32</c>, <c>BF16</c>, <c>I64</c>, …).</param>
/// <param name="Shape">Its dimensions, outermost first.</param>
/// <param name="Offset">Byte offset of its data from the start of the data section.</param>
/// <param name="Length">Byte length of its data.</param>
public sealed record SafetensorsEntry(string Name, string DType, int[] Shape, long Offset, long Length)
{
    /// <summary>Number of elements (the product of <see cref="Shape"/>; 1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>The shape written as <c>(896, 128)</c>.</summary>
    public string ShapeText => ShapeFormat.Format(Shape);
}

/// <summary>Writes shapes the way error messages show them.</summary>
public static class ShapeFormat
{
    /// <summary>Formats <paramref name="shape"/> as <c>(d0, d1, …)</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape) => "(" + string.Join(", ", shape.ToArray()) + ")";
}
