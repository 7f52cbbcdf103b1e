using System.Runtime.InteropServices;

namespace Whetstone.Tensors;

/// <summary>
/// A contiguous, row-major float32 tensor of rank 1 to 4 whose storage is 64-byte aligned native memory.
/// </summary>
/// <remarks>
/// Tensors made with the static factories (<see cref="Zeros(Shape)"/>, <see cref="FromArray(ReadOnlySpan{float}, Shape)"/>, ...)
/// own their memory until <see cref="Dispose"/>; parameters and inputs are made this way. Tensors returned by
/// <see cref="Autograd.Tape"/> operations come from the tape's pool and stay valid only until the tape is reset,
/// which returns them for reuse — that is what keeps a training step from allocating.
/// A view (<see cref="Autograd.Tape.Reshape"/>) shares its source's storage.
/// </remarks>
public sealed unsafe partial class Tensor : IDisposable
{
    private float* _data;
    private int _capacity;
    private bool _ownsMemory;
    private Shape _shape;

    /// <summary>Memory alignment of every owned buffer, in bytes (one cache line, one AVX-512 vector).</summary>
    public const int Alignment = 64;

    internal Tensor(Shape shape, int capacity, bool pooled)
    {
        if (capacity < shape.Count) throw new ArgumentException("Capacity is smaller than the shape.", nameof(capacity));
        _capacity = capacity;
        _data = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(1, capacity) * sizeof(float), Alignment);
        _ownsMemory = true;
        _shape = shape;
        IsPooled = pooled;
    }

    /// <summary>An empty view shell; <see cref="PointAt"/> gives it storage.</summary>
    internal Tensor()
    {
        IsPooled = true;
    }

    /// <summary>Dimensions of the tensor.</summary>
    public Shape Shape => _shape;

    /// <summary>Number of dimensions (1 to 4).</summary>
    public int Rank => _shape.Rank;

    /// <summary>Total number of elements.</summary>
    public int Count => _shape.Count;

    /// <summary>
    /// Whether gradients flow into this tensor. Set it on parameters; results of taped operations
    /// get it when any input has it and the tape is recording.
    /// </summary>
    public bool RequiresGrad { get; set; }

    /// <summary>
    /// The accumulated gradient (same shape), or null until a backward pass reaches this tensor.
    /// Gradients add up across <see cref="Autograd.Tape.Backward(Tensor)"/> calls until zeroed.
    /// </summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>Optional name used in error messages and by parameter collections.</summary>
    public string? Name { get; set; }

    /// <summary>True for tensors owned by a tape's pool (results of operations and their gradients).</summary>
    public bool IsPooled { get; }

    /// <summary>True when this tensor shares another tensor's storage.</summary>
    public bool IsView => !_ownsMemory;

    /// <summary>Number of floats the storage can hold (≥ <see cref="Count"/>).</summary>
    internal int Capacity => _capacity;

    /// <summary>Pointer to the first element; valid while the tensor (or, for a view, its source) is alive.</summary>
    public float* DataPointer
    {
        get
        {
            if (_data == null && Count > 0) throw new ObjectDisposedException(Describe());
            return _data;
        }
    }

    /// <summary>The elements in row-major order.</summary>
    public Span<float> AsSpan() => new(DataPointer, Count);

    /// <summary>Row <paramref name="row"/> of the tensor viewed as a (Rows, Last) matrix.</summary>
    /// <param name="row">Row index in [0, Shape.Rows).</param>
    public Span<float> Row(int row)
    {
        if ((uint)row >= (uint)_shape.Rows) throw new ArgumentOutOfRangeException(nameof(row), $"Row {row} is out of range for {Describe()}.");
        int n = _shape.Last;
        return new Span<float>(DataPointer + (long)row * n, n);
    }

    /// <summary>Element at flat (row-major) index <paramref name="index"/>.</summary>
    /// <param name="index">Flat index in [0, Count).</param>
    public float this[int index]
    {
        get => AsSpan()[index];
        set => AsSpan()[index] = value;
    }

    /// <summary>Element (i, j) of a rank-2 tensor.</summary>
    /// <param name="i">Row.</param>
    /// <param name="j">Column.</param>
    public float this[int i, int j]
    {
        get => AsSpan()[Offset(2, i, j, 0, 0)];
        set => AsSpan()[Offset(2, i, j, 0, 0)] = value;
    }

    /// <summary>Element (i, j, k) of a rank-3 tensor.</summary>
    /// <param name="i">First index.</param>
    /// <param name="j">Second index.</param>
    /// <param name="k">Third index.</param>
    public float this[int i, int j, int k]
    {
        get => AsSpan()[Offset(3, i, j, k, 0)];
        set => AsSpan()[Offset(3, i, j, k, 0)] = value;
    }

    /// <summary>Element (i, j, k, l) of a rank-4 tensor.</summary>
    /// <param name="i">First index.</param>
    /// <param name="j">Second index.</param>
    /// <param name="k">Third index.</param>
    /// <param name="l">Fourth index.</param>
    public float this[int i, int j, int k, int l]
    {
        get => AsSpan()[Offset(4, i, j, k, l)];
        set => AsSpan()[Offset(4, i, j, k, l)] = value;
    }

    private int Offset(int rank, int i, int j, int k, int l)
    {
        if (Rank != rank) throw new ArgumentException($"{rank} indices given for {Describe()}.");
        Span<int> idx = [i, j, k, l];
        int offset = 0;
        for (int a = 0; a < rank; a++)
        {
            if ((uint)idx[a] >= (uint)_shape[a])
                throw new IndexOutOfRangeException($"Index {idx[a]} on axis {a} is out of range for {Describe()}.");
            offset = offset * _shape[a] + idx[a];
        }
        return offset;
    }

    /// <summary>Copies the elements into a new array (for tests and inspection).</summary>
    public float[] ToArray() => AsSpan().ToArray();

    /// <summary>Overwrites the elements with <paramref name="source"/>, whose length must equal <see cref="Count"/>.</summary>
    /// <param name="source">New values in row-major order.</param>
    public void CopyFrom(ReadOnlySpan<float> source)
    {
        if (source.Length != Count)
            throw new ArgumentException($"Cannot copy {source.Length} values into {Describe()}.", nameof(source));
        source.CopyTo(AsSpan());
    }

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => AsSpan().Clear();

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    /// <param name="value">The fill value.</param>
    public void Fill(float value) => AsSpan().Fill(value);

    /// <summary>Sets the gradient to zero (keeping its buffer) if one exists.</summary>
    public void ZeroGrad() => Grad?.Clear();

    /// <summary>Shape (and name, if any) for messages, e.g. "tensor 'w1' (4, 8)".</summary>
    public override string ToString() => Describe();

    internal string Describe() => Name is null ? $"tensor {_shape}" : $"tensor '{Name}' {_shape}";

    /// <summary>Re-dimensions a pooled tensor for reuse; the caller guarantees capacity.</summary>
    internal void Reuse(Shape shape)
    {
        _shape = shape;
        RequiresGrad = false;
        Grad = null;
        Name = null;
    }

    /// <summary>Makes a view shell share <paramref name="source"/>'s storage under a new shape.</summary>
    internal void PointAt(Tensor source, Shape shape, int offset = 0)
    {
        _data = source.DataPointer + offset;
        _capacity = shape.Count;
        _ownsMemory = false;
        Reuse(shape);
    }

    /// <summary>Detaches a view shell from its storage.</summary>
    internal void Unpoint() { if (!_ownsMemory) { _data = null; _capacity = 0; Grad = null; } }

    /// <summary>Frees the storage of a tensor the caller owns. Pooled tensors belong to their tape and ignore this.</summary>
    public void Dispose()
    {
        if (IsPooled) return;
        Release();
        Grad?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees owned memory unconditionally (pool teardown).</summary>
    internal void Release()
    {
        if (_ownsMemory && _data != null) NativeMemory.AlignedFree(_data);
        _data = null;
        _capacity = 0;
    }

    /// <summary>Frees native memory a caller forgot to dispose.</summary>
    ~Tensor() => Release();
}
