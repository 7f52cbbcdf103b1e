using Whetstone.Tensors.Kernels;

namespace Whetstone.Tensors.Autograd;

public sealed partial class Tape
{
    /// <summary>a + b, element-wise (residual connections).</summary>
    /// <param name="a">Any shape.</param>
    /// <param name="b">Same shape as <paramref name="a"/>.</param>
    public Tensor Add(Tensor a, Tensor b)
    {
        RequireSameShape(a, b, nameof(Add));
        var y = NewOutput(a.Shape);
        AddKernel.Forward(a.AsSpan(), b.AsSpan(), y.AsSpan());
        if (ShouldRecord(a, b)) Record(new TapeEntry { Op = OpCode.Add, Output = y, A = a, B = b });
        return y;
    }

    /// <summary>a − b, element-wise.</summary>
    /// <param name="a">Any shape.</param>
    /// <param name="b">Same shape as <paramref name="a"/>.</param>
    public Tensor Sub(Tensor a, Tensor b)
    {
        RequireSameShape(a, b, nameof(Sub));
        var y = NewOutput(a.Shape);
        SubKernel.Forward(a.AsSpan(), b.AsSpan(), y.AsSpan());
        if (ShouldRecord(a, b)) Record(new TapeEntry { Op = OpCode.Sub, Output = y, A = a, B = b });
        return y;
    }

    /// <summary>a ⊙ b, element-wise.</summary>
    /// <param name="a">Any shape.</param>
    /// <param name="b">Same shape as <paramref name="a"/>.</param>
    public Tensor Mul(Tensor a, Tensor b)
    {
        RequireSameShape(a, b, nameof(Mul));
        var y = NewOutput(a.Shape);
        MulKernel.Forward(a.AsSpan(), b.AsSpan(), y.AsSpan());
        if (ShouldRecord(a, b)) Record(new TapeEntry { Op = OpCode.Mul, Output = y, A = a, B = b });
        return y;
    }

    /// <summary>alpha · x (e.g. the 1/√d attention scale).</summary>
    /// <param name="x">Any shape.</param>
    /// <param name="alpha">Constant factor.</param>
    public Tensor Scale(Tensor x, float alpha)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = NewOutput(x.Shape);
        ScaleKernel.Forward(x.AsSpan(), alpha, y.AsSpan());
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.Scale, Output = y, A = x, F0 = alpha });
        return y;
    }

    /// <summary>x + bias with the bias broadcast over rows: (..., n) + (n) → (..., n).</summary>
    /// <param name="x">(..., n).</param>
    /// <param name="bias">(n).</param>
    public Tensor AddBias(Tensor x, Tensor bias)
    {
        RequireRowVector(x, bias, nameof(AddBias));
        var y = NewOutput(x.Shape);
        RowBroadcastAddKernel.Forward(x.AsSpan(), bias.AsSpan(), y.AsSpan(), x.Shape.Rows, x.Shape.Last);
        if (ShouldRecord(x, bias)) Record(new TapeEntry { Op = OpCode.AddBias, Output = y, A = x, B = bias });
        return y;
    }

    /// <summary>x ⊙ w with w broadcast over rows: (..., n) ⊙ (n) → (..., n) (a per-feature gain).</summary>
    /// <param name="x">(..., n).</param>
    /// <param name="weight">(n).</param>
    public Tensor MulBroadcast(Tensor x, Tensor weight)
    {
        RequireRowVector(x, weight, nameof(MulBroadcast));
        var y = NewOutput(x.Shape);
        RowBroadcastMulKernel.Forward(x.AsSpan(), weight.AsSpan(), y.AsSpan(), x.Shape.Rows, x.Shape.Last);
        if (ShouldRecord(x, weight)) Record(new TapeEntry { Op = OpCode.MulBroadcast, Output = y, A = x, B = weight });
        return y;
    }

    /// <summary>Backward of the element-wise family (Add, Sub, Mul, Scale, AddBias, MulBroadcast). Entry: A, B; F0 alpha.</summary>
    private void ElementwiseBackward(ref TapeEntry e)
    {
        var dy = e.Output.Grad!.AsSpan();
        switch (e.Op)
        {
            case OpCode.Add: AddKernel.Backward(dy, GradSpan(e.A!), GradSpan(e.B!)); break;
            case OpCode.Sub: SubKernel.Backward(dy, GradSpan(e.A!), GradSpan(e.B!)); break;
            case OpCode.Mul: MulKernel.Backward(e.A!.AsSpan(), e.B!.AsSpan(), dy, GradSpan(e.A), GradSpan(e.B)); break;
            case OpCode.Scale: if (e.A!.RequiresGrad) ScaleKernel.Backward(dy, e.F0, GradOf(e.A).AsSpan()); break;
            case OpCode.AddBias:
                RowBroadcastAddKernel.Backward(dy, GradSpan(e.A!), GradSpan(e.B!), e.A!.Shape.Rows, e.A.Shape.Last);
                break;
            case OpCode.MulBroadcast:
                RowBroadcastMulKernel.Backward(e.A!.AsSpan(), e.B!.AsSpan(), dy, GradSpan(e.A), GradSpan(e.B), e.A.Shape.Rows, e.A.Shape.Last);
                break;
        }
    }

    /// <summary>The gradient buffer of <paramref name="t"/> as a span, or an empty span ("not wanted") when it needs none.</summary>
    private Span<float> GradSpan(Tensor t) => t.RequiresGrad ? GradOf(t).AsSpan() : default;

    private static void RequireSameShape(Tensor a, Tensor b, string op)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Shape != b.Shape) throw new ArgumentException($"{op}: shapes differ: {a.Describe()} and {b.Describe()}.");
    }

    private static void RequireRowVector(Tensor x, Tensor v, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(v);
        if (v.Rank != 1 || v.Count != x.Shape.Last)
            throw new ArgumentException($"{op}: {v.Describe()} must be rank 1 with the last dimension of {x.Describe()}.");
    }
}
