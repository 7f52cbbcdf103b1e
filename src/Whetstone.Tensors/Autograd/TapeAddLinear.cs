using System.Numerics.Tensors;
using Whetstone.Tensors.Kernels;
using Op = Whetstone.Tensors.Kernels.Transpose;

namespace Whetstone.Tensors.Autograd;

public sealed partial class Tape
{
    /// <summary>
    /// Fused residual linear: y = residual + alpha·x·Wᵀ in one new buffer (the product accumulates into a copy of the
    /// residual), instead of a product buffer plus a sum buffer. The gradient passes to the residual unchanged.
    /// </summary>
    /// <param name="residual">(..., out).</param>
    /// <param name="x">(..., in), the same rows as <paramref name="residual"/>.</param>
    /// <param name="weight">(out, in), HF layout.</param>
    /// <param name="alpha">Factor on the product.</param>
    /// <returns>(..., out).</returns>
    public Tensor AddLinear(Tensor residual, Tensor x, Tensor weight, float alpha = 1f)
    {
        CheckAddLinear(residual, x, weight, nameof(AddLinear));
        var y = NewOutput(residual.Shape);
        residual.AsSpan().CopyTo(y.AsSpan());
        return AddLinearInto(y, residual, x, weight, alpha);
    }

    /// <summary>
    /// In-place form of <see cref="AddLinear"/>: accumulator += alpha·x·Wᵀ, written into the accumulator's own
    /// storage, so an adapter's delta costs no output-sized buffer (LoRA: base output + scaling·h·Bᵀ).
    /// </summary>
    /// <remarks>
    /// This CONSUMES <paramref name="accumulator"/>: use the returned tensor from now on; the old handle's contents
    /// are the sum. The tape falls back to a copy (<see cref="AddLinear"/>) whenever writing in place could change a
    /// value some recorded backward still reads: the accumulator must be a result of this tape that no later recorded
    /// op used, produced by an op whose backward ignores its own output (a product, a sum, a bias add), or by no
    /// recorded op at all.
    /// </remarks>
    /// <param name="accumulator">(..., out), a fresh result of this tape (e.g. a layer's x·Wᵀ).</param>
    /// <param name="x">(..., in).</param>
    /// <param name="weight">(out, in).</param>
    /// <param name="alpha">Factor on the product.</param>
    /// <returns>(..., out), sharing the accumulator's storage when done in place.</returns>
    public Tensor AccumulateLinear(Tensor accumulator, Tensor x, Tensor weight, float alpha = 1f)
    {
        CheckAddLinear(accumulator, x, weight, nameof(AccumulateLinear));
        if (!CanOverwrite(accumulator)) return AddLinear(accumulator, x, weight, alpha);
        return AddLinearInto(NewView(accumulator, accumulator.Shape), accumulator, x, weight, alpha);
    }

    private unsafe Tensor AddLinearInto(Tensor y, Tensor residual, Tensor x, Tensor weight, float alpha)
    {
        int m = x.Shape.Rows, k = x.Shape.Last, n = weight.Shape[0];
        // y (m, n) += alpha·x (m, k)·Wᵀ, W stored (n, k).
        Gemm.Multiply(Op.None, Op.Transposed, m, n, k, alpha, x.DataPointer, Math.Max(1, k), weight.DataPointer, Math.Max(1, k), 1f, y.DataPointer, Math.Max(1, n));
        if (ShouldRecord(residual, x, weight))
            Record(new TapeEntry { Op = OpCode.AddLinear, Output = y, A = x, B = weight, C = residual, F0 = alpha, I2 = m, I3 = n, I4 = k });
        return y;
    }

    /// <summary>
    /// True when <paramref name="t"/>'s storage may be overwritten: a plain (non-view) buffer of this tape's pool
    /// whose value no recorded backward reads. Scans back from the newest entry to the one that produced it.
    /// </summary>
    private bool CanOverwrite(Tensor t)
    {
        if (!t.IsPooled || t.IsView || t.TapeSlot >= _ownedCount || !ReferenceEquals(_owned[t.TapeSlot], t)) return false;
        for (int i = _entryCount - 1; i >= 0; i--)
        {
            ref TapeEntry e = ref _entries[i];
            if (ReferenceEquals(e.Output, t))
                return e.Op is OpCode.MatMul or OpCode.AddBias or OpCode.Add or OpCode.AddLinear;
            if (ReferenceEquals(e.A, t) || ReferenceEquals(e.B, t) || ReferenceEquals(e.C, t)
                || ReferenceEquals(e.Saved0, t) || ReferenceEquals(e.Saved1, t))
                return false;
        }
        return true;   // produced by no recorded op (no gradient flows through it, or under NoGrad)
    }

    private static void CheckAddLinear(Tensor residual, Tensor x, Tensor weight, string op)
    {
        ArgumentNullException.ThrowIfNull(residual);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2 || x.Shape.Last != weight.Shape[1] || residual.Shape.Last != weight.Shape[0]
            || residual.Shape.Rows != x.Shape.Rows)
            throw new ArgumentException($"{op}: {residual.Describe()} + {x.Describe()}·Wᵀ with W {weight.Describe()} do not fit: need residual (..., out), x (..., in) with the same rows, W (out, in).");
    }

    /// <summary>
    /// Backward of y = residual + alpha·x·Wᵀ. Entry: A x, B weight, C residual, F0 alpha, I2 m (rows), I3 n (out), I4 k (in).
    /// d residual += dy; dx += alpha·dy·W; dW += alpha·dyᵀ·x. The residual's value is never read (it may have been overwritten).
    /// </summary>
    private unsafe void AddLinearBackward(ref TapeEntry e)
    {
        int m = e.I2, n = e.I3, k = e.I4;
        float alpha = e.F0;
        var dy = e.Output.Grad!;
        if (e.C!.RequiresGrad)
        {
            var dr = GradOf(e.C).AsSpan();
            TensorPrimitives.Add(dr, dy.AsSpan(), dr);
        }
        if (e.A!.RequiresGrad)
            Gemm.Multiply(Op.None, Op.None, m, k, n, alpha, dy.DataPointer, Math.Max(1, n), e.B!.DataPointer, Math.Max(1, k),
                1f, GradOf(e.A).DataPointer, Math.Max(1, k));
        if (e.B!.RequiresGrad)
            Gemm.Multiply(Op.Transposed, Op.None, n, k, m, alpha, dy.DataPointer, Math.Max(1, n), e.A.DataPointer, Math.Max(1, k),
                1f, GradOf(e.B).DataPointer, Math.Max(1, k));
    }
}
