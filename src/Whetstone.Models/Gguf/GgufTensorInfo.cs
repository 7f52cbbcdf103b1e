namespace Whetstone.Models.Gguf;

/// <summary>
/// One entry of a GGUF file's tensor table.
/// </summary>
/// <param name="Name">GGUF tensor name, e.g. <c>blk.0.attn_q.weight</c>.</param>
/// <param name="Dimensions">Sizes in GGML order, innermost (contiguous) first: an HF weight of shape
/// (out, in) has dimensions [in, out].</param>
/// <param name="Type">Element type.</param>
/// <param name="Offset">Byte offset from the start of the data section (a multiple of the alignment).</param>
public sealed record GgufTensorInfo(string Name, ulong[] Dimensions, GgufTensorType Type, ulong Offset)
{
    /// <summary>Number of elements.</summary>
    public long ElementCount => Dimensions.Aggregate(1L, (a, d) => a * (long)d);

    /// <summary>Bytes of data, or null for a type Whetstone does not know.</summary>
    public long? ByteCount => Type.ElementSize() is int size ? ElementCount * size : null;

    /// <summary>The shape outermost first, as PyTorch and safetensors write it: the reverse of <see cref="Dimensions"/>.</summary>
    public int[] Shape => Dimensions.Reverse().Select(d => checked((int)d)).ToArray();
}
