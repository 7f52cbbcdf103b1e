using System.Buffers;
using Whetstone.Tensors;

namespace Whetstone.Training.Checkpointing;

/// <summary>
/// Exposes a tensor's native storage as <see cref="Memory{T}"/> so the safetensors writer streams it to disk
/// without a managed copy of the whole model. The tensor must outlive the write.
/// </summary>
internal sealed unsafe class TensorMemory(Tensor tensor) : MemoryManager<float>
{
    public override Span<float> GetSpan() => tensor.AsSpan();

    public override MemoryHandle Pin(int elementIndex = 0) => new(tensor.DataPointer + elementIndex);

    public override void Unpin() { }

    protected override void Dispose(bool disposing) { }

    /// <summary>The dimensions of <paramref name="shape"/> as an array, outermost first.</summary>
    public static int[] Dims(Shape shape)
    {
        var dims = new int[shape.Rank];
        for (int i = 0; i < dims.Length; i++) dims[i] = shape[i];
        return dims;
    }
}
