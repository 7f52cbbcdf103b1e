using System.Runtime.InteropServices;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// One thread's packing buffers (64-byte aligned native memory), grown on demand and then reused, so a
/// GEMM in steady state allocates nothing. Each thread that starts a GEMM owns one; pool workers only read
/// the caller's buffers, except when they run whole problems of a batch on their own.
/// </summary>
internal sealed unsafe class GemmWorkspace
{
    [ThreadStatic] private static GemmWorkspace? _current;

    private float* _packedA;
    private long _capacityA;
    private float* _packedB;
    private long _capacityB;
    private int* _flagsA;
    private long _capacityFlagsA;
    private int* _flagsB;
    private long _capacityFlagsB;

    /// <summary>The calling thread's workspace.</summary>
    public static GemmWorkspace Current => _current ??= new GemmWorkspace();

    /// <summary>A buffer of at least <paramref name="floats"/> floats for packed A.</summary>
    public float* PackedA(long floats) => Ensure(ref _packedA, ref _capacityA, floats);

    /// <summary>A buffer of at least <paramref name="floats"/> floats for packed B.</summary>
    public float* PackedB(long floats) => Ensure(ref _packedB, ref _capacityB, floats);

    /// <summary>At least <paramref name="count"/> "packed yet?" flags for blocks of packed A.</summary>
    public int* FlagsA(long count) => Ensure(ref _flagsA, ref _capacityFlagsA, count);

    /// <summary>At least <paramref name="count"/> "packed yet?" flags for slivers of packed B.</summary>
    public int* FlagsB(long count) => Ensure(ref _flagsB, ref _capacityFlagsB, count);

    private static T* Ensure<T>(ref T* buffer, ref long capacity, long count) where T : unmanaged
    {
        if (count <= capacity)
            return buffer;
        NativeMemory.AlignedFree(buffer);
        buffer = null;
        capacity = 0;
        long grown = Math.Max(count, 4096);
        buffer = (T*)NativeMemory.AlignedAlloc((nuint)(grown * sizeof(T)), 64);
        capacity = grown;
        return buffer;
    }

    ~GemmWorkspace()
    {
        NativeMemory.AlignedFree(_packedA);
        NativeMemory.AlignedFree(_packedB);
        NativeMemory.AlignedFree(_flagsA);
        NativeMemory.AlignedFree(_flagsB);
    }
}
