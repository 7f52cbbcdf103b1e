using System.Diagnostics.CodeAnalysis;

namespace Whetstone.Tensors;

/// <summary>
/// The dimensions of a row-major tensor, rank 1 to 4. A value type with no heap storage, so
/// creating shapes in a training loop allocates nothing.
/// </summary>
public readonly struct Shape : IEquatable<Shape>
{
    /// <summary>The largest rank a <see cref="Shape"/> can hold.</summary>
    public const int MaxRank = 4;

    private readonly int _d0, _d1, _d2, _d3;

    /// <summary>Number of dimensions (1 to 4).</summary>
    public int Rank { get; }

    /// <summary>Creates a rank-1 shape.</summary>
    /// <param name="d0">Length of the only dimension.</param>
    public Shape(int d0) : this(1, d0, 1, 1, 1) { }

    /// <summary>Creates a rank-2 shape (rows, columns).</summary>
    /// <param name="d0">Rows.</param>
    /// <param name="d1">Columns.</param>
    public Shape(int d0, int d1) : this(2, d0, d1, 1, 1) { }

    /// <summary>Creates a rank-3 shape.</summary>
    /// <param name="d0">First (outermost) dimension.</param>
    /// <param name="d1">Second dimension.</param>
    /// <param name="d2">Third (innermost) dimension.</param>
    public Shape(int d0, int d1, int d2) : this(3, d0, d1, d2, 1) { }

    /// <summary>Creates a rank-4 shape.</summary>
    /// <param name="d0">First (outermost) dimension.</param>
    /// <param name="d1">Second dimension.</param>
    /// <param name="d2">Third dimension.</param>
    /// <param name="d3">Fourth (innermost) dimension.</param>
    public Shape(int d0, int d1, int d2, int d3) : this(4, d0, d1, d2, d3) { }

    private Shape(int rank, int d0, int d1, int d2, int d3)
    {
        if (d0 < 0 || d1 < 0 || d2 < 0 || d3 < 0)
            throw new ArgumentException($"Shape dimensions must be non-negative, got ({d0}, {d1}, {d2}, {d3}) for rank {rank}.");
        long count = (long)d0 * d1 * d2 * d3;
        if (count > int.MaxValue)
            throw new ArgumentException($"Shape has {count} elements; at most {int.MaxValue} are supported.");
        Rank = rank;
        _d0 = d0; _d1 = d1; _d2 = d2; _d3 = d3;
    }

    /// <summary>Creates a shape from 1 to 4 dimension lengths.</summary>
    /// <param name="dims">The dimension lengths, outermost first.</param>
    public static Shape Of(ReadOnlySpan<int> dims) => dims.Length switch
    {
        1 => new Shape(dims[0]),
        2 => new Shape(dims[0], dims[1]),
        3 => new Shape(dims[0], dims[1], dims[2]),
        4 => new Shape(dims[0], dims[1], dims[2], dims[3]),
        _ => throw new ArgumentException($"Shape rank must be 1 to {MaxRank}, got {dims.Length}."),
    };

    /// <summary>Length of dimension <paramref name="axis"/>; negative axes count from the end (-1 is the last).</summary>
    /// <param name="axis">Dimension index, 0 ≤ axis &lt; Rank or -Rank ≤ axis &lt; 0.</param>
    public int this[int axis]
    {
        get
        {
            int a = axis < 0 ? axis + Rank : axis;
            if ((uint)a >= (uint)Rank)
                throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is out of range for shape {this}.");
            return a switch { 0 => _d0, 1 => _d1, 2 => _d2, _ => _d3 };
        }
    }

    /// <summary>Total number of elements (product of all dimensions).</summary>
    public int Count => _d0 * _d1 * _d2 * _d3;

    /// <summary>Length of the last (innermost, contiguous) dimension.</summary>
    public int Last => this[Rank - 1];

    /// <summary>Product of all dimensions except the last: the number of rows when the tensor is viewed as a matrix.</summary>
    public int Rows => Rank switch { 1 => 1, 2 => _d0, 3 => _d0 * _d1, _ => _d0 * _d1 * _d2 };

    /// <summary>Product of all dimensions except the last two (1 for rank ≤ 2): the batch count of a batched matrix.</summary>
    public int BatchCount => Rank <= 2 ? 1 : Rank == 3 ? _d0 : _d0 * _d1;

    /// <summary>The same shape with the last dimension replaced by <paramref name="last"/>.</summary>
    /// <param name="last">New length of the last dimension.</param>
    public Shape WithLast(int last) => Rank switch
    {
        1 => new Shape(last),
        2 => new Shape(_d0, last),
        3 => new Shape(_d0, _d1, last),
        _ => new Shape(_d0, _d1, _d2, last),
    };

    /// <summary>The shape without its last dimension, e.g. logits (B, T, V) → per-token (B, T); rank 1 gives (1,).</summary>
    public Shape WithoutLast() => Rank switch
    {
        1 => new Shape(1),
        2 => new Shape(_d0),
        3 => new Shape(_d0, _d1),
        _ => new Shape(_d0, _d1, _d2),
    };

    /// <summary>The same shape with the last two dimensions replaced.</summary>
    /// <param name="rows">New second-to-last dimension.</param>
    /// <param name="cols">New last dimension.</param>
    public Shape WithLastTwo(int rows, int cols) => Rank switch
    {
        2 => new Shape(rows, cols),
        3 => new Shape(_d0, rows, cols),
        4 => new Shape(_d0, _d1, rows, cols),
        _ => throw new InvalidOperationException($"Shape {this} has fewer than two dimensions."),
    };

    /// <summary>True when both shapes have the same rank and dimensions.</summary>
    /// <param name="other">Shape to compare with.</param>
    public bool Equals(Shape other) =>
        Rank == other.Rank && _d0 == other._d0 && _d1 == other._d1 && _d2 == other._d2 && _d3 == other._d3;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Shape s && Equals(s);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Rank, _d0, _d1, _d2, _d3);

    /// <summary>Equality of rank and dimensions.</summary>
    /// <param name="left">First shape.</param>
    /// <param name="right">Second shape.</param>
    public static bool operator ==(Shape left, Shape right) => left.Equals(right);

    /// <summary>Inequality of rank or dimensions.</summary>
    /// <param name="left">First shape.</param>
    /// <param name="right">Second shape.</param>
    public static bool operator !=(Shape left, Shape right) => !left.Equals(right);

    /// <summary>Formats like Python: "(2, 3, 4)"; rank 1 is "(5,)".</summary>
    public override string ToString() => Rank switch
    {
        0 => "()",
        1 => $"({_d0},)",
        2 => $"({_d0}, {_d1})",
        3 => $"({_d0}, {_d1}, {_d2})",
        _ => $"({_d0}, {_d1}, {_d2}, {_d3})",
    };
}
