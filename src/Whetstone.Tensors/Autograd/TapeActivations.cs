using Whetstone.Tensors.Kernels;

namespace Whetstone.Tensors.Autograd;

public sealed partial class Tape
{
    /// <summary>SiLU (swish): x·σ(x), element-wise.</summary>
    /// <param name="x">Any shape.</param>
    public Tensor Silu(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = NewOutput(x.Shape);
        SiluKernel.Forward(x.AsSpan(), y.AsSpan());
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.Silu, Output = y, A = x });
        return y;
    }

    /// <summary>SwiGLU of the Llama/Qwen MLP: silu(gate) ⊙ up.</summary>
    /// <param name="gate">(..., intermediate).</param>
    /// <param name="up">Same shape as <paramref name="gate"/>.</param>
    public Tensor SwiGlu(Tensor gate, Tensor up)
    {
        RequireSameShape(gate, up, nameof(SwiGlu));
        var y = NewOutput(gate.Shape);
        SwiGluKernel.Forward(gate.AsSpan(), up.AsSpan(), y.AsSpan());
        if (ShouldRecord(gate, up)) Record(new TapeEntry { Op = OpCode.SwiGlu, Output = y, A = gate, B = up });
        return y;
    }

    /// <summary>GELU, element-wise: the exact erf form, or the tanh approximation (HF <c>gelu_pytorch_tanh</c>).</summary>
    /// <param name="x">Any shape.</param>
    /// <param name="tanhApproximation">Use 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))) instead of the erf form.</param>
    public Tensor Gelu(Tensor x, bool tanhApproximation = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = NewOutput(x.Shape);
        if (tanhApproximation) GeluTanhKernel.Forward(x.AsSpan(), y.AsSpan());
        else GeluErfKernel.Forward(x.AsSpan(), y.AsSpan());
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.Gelu, Output = y, A = x, I0 = tanhApproximation ? 1 : 0 });
        return y;
    }

    /// <summary>Backward of Silu, SwiGlu and Gelu. Entry: A x (or gate), B up; Gelu: I0 tanh form.</summary>
    private void ActivationBackward(ref TapeEntry e)
    {
        var dy = e.Output.Grad!.AsSpan();
        switch (e.Op)
        {
            case OpCode.Silu:
                if (e.A!.RequiresGrad) SiluKernel.Backward(e.A.AsSpan(), dy, GradOf(e.A).AsSpan());
                break;
            case OpCode.SwiGlu:
                SwiGluKernel.Backward(e.A!.AsSpan(), e.B!.AsSpan(), dy, GradSpan(e.A), GradSpan(e.B));
                break;
            case OpCode.Gelu:
                if (!e.A!.RequiresGrad) break;
                if (e.I0 != 0) GeluTanhKernel.Backward(e.A.AsSpan(), dy, GradOf(e.A).AsSpan());
                else GeluErfKernel.Backward(e.A.AsSpan(), dy, GradOf(e.A).AsSpan());
                break;
        }
    }
}
