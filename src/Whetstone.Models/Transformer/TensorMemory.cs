using System.Buffers;
using Whetstone.Tensors;

namespace Whetstone.Models.Transformer;

/// <summary>A <see cref="Memory{T}"/> over a tensor's native storage, so checkpoints are written without a managed copy.</summary>
internal sealed unsafe class TensorMemory(Tensor tensor) : MemoryManager<float>
{
    public override Span<float> GetSpan() => tensor.AsSpan();

    public override MemoryHandle Pin(int elementIndex = 0) => new(tensor.DataPointer + elementIndex);

    public override void Unpin() { }

    protected override void Dispose(bool disposing) { }
}
