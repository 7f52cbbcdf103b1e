using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Whetstone.Tensors.Kernels.Simd;

/// <summary>
/// Asks the cache to start loading a span that will be read soon. The streaming logsumexp walks each
/// 16 KB chunk twice (max, then Σ exp from L1); prefetching the next chunk first lets that memory
/// traffic overlap the exp work (measured: +10–20% on cross-entropy forward; the same trick did not pay
/// for the norm and softmax rows, so they do not use it). A hint only: no effect on results, and a
/// no-op on CPUs without SSE.
/// </summary>
internal static class CachePrefetch
{
    private const int LineFloats = 16; // 64-byte cache lines

    public static unsafe void Span(ReadOnlySpan<float> next)
    {
        if (!Sse.IsSupported || next.IsEmpty) return;
        ref float start = ref MemoryMarshal.GetReference(next);
        for (int i = 0; i < next.Length; i += LineFloats)
            Sse.Prefetch1(Unsafe.AsPointer(ref Unsafe.Add(ref start, i)));
    }
}
