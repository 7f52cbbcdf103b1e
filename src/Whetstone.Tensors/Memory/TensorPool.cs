using System.Numerics;

namespace Whetstone.Tensors.Memory;

/// <summary>
/// Recycles tensors by size class so a training loop that repeats the same shapes stops allocating
/// after its first step. Classes are quarter-octaves (capacities 16, 20, 24, 28, 32, 40, ...), so a
/// buffer wastes at most 25 %. Not thread-safe: one pool belongs to one tape, used by one thread.
/// </summary>
internal sealed class TensorPool : IDisposable
{
    private const int MinCapacity = 16;
    private readonly Stack<Tensor>?[] _free = new Stack<Tensor>?[112];
    private readonly Stack<Tensor> _freeViews = new();
    private readonly List<Tensor> _all = new();

    /// <summary>Number of tensors (with storage) ever created by this pool.</summary>
    public int CreatedCount { get; private set; }

    /// <summary>Bytes of storage the pool currently holds (rented and free).</summary>
    public long Bytes { get; private set; }

    /// <summary>Bytes of storage currently rented out (views count nothing: they share storage).</summary>
    public long RentedBytes { get; private set; }

    /// <summary>Largest <see cref="RentedBytes"/> since creation or the last <see cref="ResetPeak"/>.</summary>
    public long PeakRentedBytes { get; private set; }

    /// <summary>Starts a new peak window at the current rented bytes.</summary>
    public void ResetPeak() => PeakRentedBytes = RentedBytes;

    /// <summary>The size class of <paramref name="count"/> floats and the capacity that class holds.</summary>
    internal static int ClassOf(int count, out int capacity)
    {
        if (count <= MinCapacity)
        {
            capacity = MinCapacity;
            return 0;
        }
        int k = 31 - BitOperations.LeadingZeroCount((uint)(count - 1)); // 2^k < count ≤ 2^(k+1), k ≥ 4
        long step = 1L << (k - 2);
        long q = (count - (1L << k) + step - 1) / step;                   // 1..4 quarter steps above 2^k
        capacity = (int)Math.Min(int.MaxValue, (1L << k) + q * step);
        return (k - 4) * 4 + (int)q;
    }

    /// <summary>A tensor of <paramref name="shape"/> with unspecified contents (or zeros when <paramref name="zero"/>).</summary>
    public Tensor Rent(Shape shape, bool zero)
    {
        int cls = ClassOf(shape.Count, out int capacity);
        var stack = _free[cls];
        Tensor t;
        if (stack is { Count: > 0 })
        {
            t = stack.Pop();
            t.Reuse(shape);
        }
        else
        {
            t = new Tensor(shape, capacity, pooled: true);
            _all.Add(t);
            CreatedCount++;
            Bytes += (long)capacity * sizeof(float);
        }
        RentedBytes += (long)t.Capacity * sizeof(float);
        if (RentedBytes > PeakRentedBytes) PeakRentedBytes = RentedBytes;
        if (zero) t.Clear();
        return t;
    }

    /// <summary>A view shell sharing <paramref name="source"/>'s storage (from element <paramref name="offset"/>) under <paramref name="shape"/>.</summary>
    public Tensor RentView(Tensor source, Shape shape, int offset = 0)
    {
        var v = _freeViews.Count > 0 ? _freeViews.Pop() : new Tensor();
        v.PointAt(source, shape, offset);
        return v;
    }

    /// <summary>Gives a rented tensor or view back for reuse.</summary>
    public void Return(Tensor t)
    {
        if (t.IsView)
        {
            t.Unpoint();
            _freeViews.Push(t);
            return;
        }
        RentedBytes -= (long)t.Capacity * sizeof(float);
        int cls = ClassOf(t.Capacity, out _);
        (_free[cls] ??= new Stack<Tensor>()).Push(t);
    }

    /// <summary>Frees the buffers that are currently free (not rented); rented ones are kept.</summary>
    public void Trim()
    {
        foreach (var stack in _free)
        {
            if (stack is null) continue;
            while (stack.Count > 0)
            {
                var t = stack.Pop();
                Bytes -= (long)t.Capacity * sizeof(float);
                t.Release();
            }
        }
        _all.RemoveAll(t => t.Capacity == 0);
    }

    /// <summary>Frees every buffer this pool created.</summary>
    public void Dispose()
    {
        foreach (var t in _all) t.Release();
        _all.Clear();
        Bytes = 0;
        RentedBytes = PeakRentedBytes = 0;
        Array.Clear(_free);
        _freeViews.Clear();
    }
}
