using Whetstone.Tensors.Kernels;

namespace Whetstone.Tensors.Autograd;

public sealed partial class Tape
{
    /// <summary>Sum of all elements → shape (1,).</summary>
    /// <param name="x">Any shape.</param>
    public Tensor Sum(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = NewOutput(new Shape(1));
        y[0] = SumKernel.Forward(x.AsSpan());
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.Sum, Output = y, A = x });
        return y;
    }

    /// <summary>Mean of all elements → shape (1,).</summary>
    /// <param name="x">Any shape with at least one element.</param>
    public Tensor Mean(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Count == 0) throw new ArgumentException($"Mean of an empty {x.Describe()}.");
        var y = NewOutput(new Shape(1));
        y[0] = MeanKernel.Forward(x.AsSpan());
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.Mean, Output = y, A = x });
        return y;
    }

    /// <summary>Sum over the last dimension: (..., n) → (...), e.g. per-sequence totals of per-token values.</summary>
    /// <param name="x">(..., n).</param>
    public Tensor SumLastAxis(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = NewOutput(x.Shape.WithoutLast());
        SumKernel.ForwardRows(x.AsSpan(), y.AsSpan(), x.Shape.Rows, x.Shape.Last);
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.SumRows, Output = y, A = x });
        return y;
    }

    /// <summary>Mean over the last dimension: (..., n) → (...).</summary>
    /// <param name="x">(..., n), n ≥ 1.</param>
    public Tensor MeanLastAxis(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = NewOutput(x.Shape.WithoutLast());
        MeanKernel.ForwardRows(x.AsSpan(), y.AsSpan(), x.Shape.Rows, x.Shape.Last);
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.MeanRows, Output = y, A = x });
        return y;
    }

    /// <summary>Backward of the reductions: broadcast the upstream gradient (divided by n for means). Entry: A x.</summary>
    private void ReductionBackward(ref TapeEntry e)
    {
        if (!e.A!.RequiresGrad) return;
        var dx = GradOf(e.A).AsSpan();
        var dy = e.Output.Grad!.AsSpan();
        switch (e.Op)
        {
            case OpCode.Sum: SumKernel.Backward(dy[0], dx); break;
            case OpCode.Mean: MeanKernel.Backward(dy[0], dx); break;
            case OpCode.SumRows: SumKernel.BackwardRows(dy, dx, e.A.Shape.Rows, e.A.Shape.Last); break;
            case OpCode.MeanRows: MeanKernel.BackwardRows(dy, dx, e.A.Shape.Rows, e.A.Shape.Last); break;
        }
    }
}
