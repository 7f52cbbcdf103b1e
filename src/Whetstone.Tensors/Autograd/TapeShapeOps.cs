using System.Numerics.Tensors;

namespace Whetstone.Tensors.Autograd;

public sealed partial class Tape
{
    /// <summary>The same elements under a new shape with the same element count. A view: no copy.</summary>
    /// <param name="x">Source tensor.</param>
    /// <param name="shape">New dimensions.</param>
    public Tensor Reshape(Tensor x, Shape shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (shape.Count != x.Count)
            throw new ArgumentException($"Reshape: cannot view {x.Describe()} ({x.Count} elements) as {shape} ({shape.Count} elements).");
        var y = NewView(x, shape);
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.Reshape, Output = y, A = x });
        return y;
    }

    /// <summary>Backward of a view: the gradient passes through unchanged.</summary>
    private void ReshapeBackward(ref TapeEntry e)
    {
        if (!e.A!.RequiresGrad) return;
        var dx = GradOf(e.A).AsSpan();
        TensorPrimitives.Add(dx, e.Output.Grad!.AsSpan(), dx);
    }

    /// <summary>
    /// Swaps axes 1 and 2 of a rank-4 tensor, copying: (B, T, H, D) → (B, H, T, D) and back.
    /// This is the head split/merge permute of attention.
    /// </summary>
    /// <param name="x">(d0, d1, d2, d3).</param>
    /// <returns>(d0, d2, d1, d3), contiguous.</returns>
    public Tensor SwapAxes12(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4) throw new ArgumentException($"SwapAxes12 needs a rank-4 tensor, got {x.Describe()}.");
        var s = x.Shape;
        var y = NewOutput(new Shape(s[0], s[2], s[1], s[3]));
        SwapAxes12Copy(x.AsSpan(), s, y.AsSpan(), accumulate: false);
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.SwapAxes12, Output = y, A = x });
        return y;
    }

    /// <summary>Writes (or adds) src (d0, d1, d2, d3) into dst as (d0, d2, d1, d3).</summary>
    private static void SwapAxes12Copy(ReadOnlySpan<float> src, Shape s, Span<float> dst, bool accumulate)
    {
        int d0 = s[0], d1 = s[1], d2 = s[2], d3 = s[3];
        for (int i = 0; i < d0; i++)
            for (int j = 0; j < d1; j++)
                for (int k = 0; k < d2; k++)
                {
                    var from = src.Slice(((i * d1 + j) * d2 + k) * d3, d3);
                    var to = dst.Slice(((i * d2 + k) * d1 + j) * d3, d3);
                    if (accumulate) TensorPrimitives.Add(to, from, to);
                    else from.CopyTo(to);
                }
    }

    /// <summary>Backward of <see cref="SwapAxes12"/>: the same permutation applied to the gradient (it is its own inverse).</summary>
    private void SwapAxes12Backward(ref TapeEntry e)
    {
        if (!e.A!.RequiresGrad) return;
        SwapAxes12Copy(e.Output.Grad!.AsSpan(), e.Output.Shape, GradOf(e.A).AsSpan(), accumulate: true);
    }

    /// <summary>Splits the features into heads: (B, T, H·D) → (B, H, T, D) (a reshape then a <see cref="SwapAxes12"/> copy).</summary>
    /// <param name="x">(B, T, H·D).</param>
    /// <param name="heads">H; must divide the last dimension.</param>
    public Tensor SplitHeads(Tensor x, int heads)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3 || heads <= 0 || x.Shape[2] % heads != 0)
            throw new ArgumentException($"SplitHeads: need (B, T, H·D) with H = {heads} dividing the last dimension, got {x.Describe()}.");
        var s = x.Shape;
        return SwapAxes12(Reshape(x, new Shape(s[0], s[1], heads, s[2] / heads)));
    }

    /// <summary>Merges heads back: (B, H, T, D) → (B, T, H·D) (a <see cref="SwapAxes12"/> copy then a reshape).</summary>
    /// <param name="x">(B, H, T, D).</param>
    public Tensor MergeHeads(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4) throw new ArgumentException($"MergeHeads needs (B, H, T, D), got {x.Describe()}.");
        var s = x.Shape;
        return Reshape(SwapAxes12(x), new Shape(s[0], s[2], s[1] * s[3]));
    }

    /// <summary>
    /// Transposes the last two dimensions, copying: (..., r, c) → (..., c, r). Prefer the
    /// <c>transposeA/transposeB</c> flags of <see cref="MatMul"/>, which transpose for free.
    /// </summary>
    /// <param name="x">(..., r, c), rank ≥ 2.</param>
    public Tensor Transpose(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 2) throw new ArgumentException($"Transpose needs rank ≥ 2, got {x.Describe()}.");
        int r = x.Shape[-2], c = x.Shape[-1];
        var y = NewOutput(x.Shape.WithLastTwo(c, r));
        TransposeCopy(x.AsSpan(), x.Shape.BatchCount, r, c, y.AsSpan(), accumulate: false);
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.TransposeLast2, Output = y, A = x });
        return y;
    }

    /// <summary>Writes (or adds) each (r, c) matrix of src transposed into dst.</summary>
    private static void TransposeCopy(ReadOnlySpan<float> src, int batch, int r, int c, Span<float> dst, bool accumulate)
    {
        for (int b = 0; b < batch; b++)
        {
            var s = src.Slice(b * r * c, r * c);
            var d = dst.Slice(b * r * c, r * c);
            for (int i = 0; i < r; i++)
                for (int j = 0; j < c; j++)
                {
                    if (accumulate) d[j * r + i] += s[i * c + j];
                    else d[j * r + i] = s[i * c + j];
                }
        }
    }

    /// <summary>Backward of <see cref="Transpose"/>: transpose the gradient back.</summary>
    private void TransposeBackward(ref TapeEntry e)
    {
        if (!e.A!.RequiresGrad) return;
        var s = e.Output.Shape; // (..., c, r)
        TransposeCopy(e.Output.Grad!.AsSpan(), s.BatchCount, s[-2], s[-1], GradOf(e.A).AsSpan(), accumulate: true);
    }

    /// <summary>Columns [start, start + length) of the last dimension, copied: (..., n) → (..., length).</summary>
    /// <param name="x">(..., n).</param>
    /// <param name="start">First column.</param>
    /// <param name="length">Number of columns.</param>
    public Tensor Slice(Tensor x, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.Shape.Last;
        if (start < 0 || length <= 0 || start + length > n)
            throw new ArgumentException($"Slice: columns [{start}, {start + length}) are outside the last dimension of {x.Describe()}.");
        var y = NewOutput(x.Shape.WithLast(length));
        int rows = x.Shape.Rows;
        var src = x.AsSpan();
        var dst = y.AsSpan();
        for (int r = 0; r < rows; r++) src.Slice(r * n + start, length).CopyTo(dst.Slice(r * length, length));
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.SliceLast, Output = y, A = x, I0 = start });
        return y;
    }

    /// <summary>Backward of <see cref="Slice"/>: adds the gradient into the sliced columns. Entry: I0 start.</summary>
    private void SliceBackward(ref TapeEntry e)
    {
        if (!e.A!.RequiresGrad) return;
        int n = e.A.Shape.Last, length = e.Output.Shape.Last, rows = e.A.Shape.Rows;
        var dy = e.Output.Grad!.AsSpan();
        var dx = GradOf(e.A).AsSpan();
        for (int r = 0; r < rows; r++)
        {
            var to = dx.Slice(r * n + e.I0, length);
            TensorPrimitives.Add(to, dy.Slice(r * length, length), to);
        }
    }

    /// <summary>Joins two tensors along the last dimension: (..., n1) and (..., n2) → (..., n1 + n2).</summary>
    /// <param name="a">(..., n1).</param>
    /// <param name="b">(..., n2), same leading dimensions.</param>
    public Tensor Concat(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank != b.Rank || !SameLeading(a.Shape, b.Shape, a.Rank - 1))
            throw new ArgumentException($"Concat: leading dimensions of {a.Describe()} and {b.Describe()} differ.");
        int n1 = a.Shape.Last, n2 = b.Shape.Last, n = n1 + n2, rows = a.Shape.Rows;
        var y = NewOutput(a.Shape.WithLast(n));
        var sa = a.AsSpan();
        var sb = b.AsSpan();
        var dst = y.AsSpan();
        for (int r = 0; r < rows; r++)
        {
            sa.Slice(r * n1, n1).CopyTo(dst.Slice(r * n, n1));
            sb.Slice(r * n2, n2).CopyTo(dst.Slice(r * n + n1, n2));
        }
        if (ShouldRecord(a, b)) Record(new TapeEntry { Op = OpCode.ConcatLast, Output = y, A = a, B = b });
        return y;
    }

    /// <summary>Backward of <see cref="Concat"/>: each input receives its columns of the gradient.</summary>
    private void ConcatBackward(ref TapeEntry e)
    {
        int n1 = e.A!.Shape.Last, n2 = e.B!.Shape.Last, n = n1 + n2, rows = e.A.Shape.Rows;
        var dy = e.Output.Grad!.AsSpan();
        if (e.A.RequiresGrad)
        {
            var da = GradOf(e.A).AsSpan();
            for (int r = 0; r < rows; r++)
            {
                var to = da.Slice(r * n1, n1);
                TensorPrimitives.Add(to, dy.Slice(r * n, n1), to);
            }
        }
        if (e.B.RequiresGrad)
        {
            var db = GradOf(e.B).AsSpan();
            for (int r = 0; r < rows; r++)
            {
                var to = db.Slice(r * n2, n2);
                TensorPrimitives.Add(to, dy.Slice(r * n + n1, n2), to);
            }
        }
    }
}
