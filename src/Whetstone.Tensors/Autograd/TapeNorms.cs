using Whetstone.Tensors.Kernels;

namespace Whetstone.Tensors.Autograd;

public sealed partial class Tape
{
    /// <summary>RMSNorm over the last dimension: y = x / √(mean(x²) + eps) ⊙ weight (Llama, Qwen).</summary>
    /// <param name="x">(..., d).</param>
    /// <param name="weight">(d) gain.</param>
    /// <param name="eps">Added to the mean square for stability (1e-6 in Qwen2).</param>
    public Tensor RmsNorm(Tensor x, Tensor weight, float eps = 1e-6f)
    {
        RequireRowVector(x, weight, nameof(RmsNorm));
        int rows = x.Shape.Rows, dim = x.Shape.Last;
        var y = NewOutput(x.Shape);
        var rstd = NewOutput(new Shape(rows));
        RmsNormKernel.Forward(x.AsSpan(), weight.AsSpan(), y.AsSpan(), rstd.AsSpan(), rows, dim, eps);
        if (ShouldRecord(x, weight)) Record(new TapeEntry { Op = OpCode.RmsNorm, Output = y, A = x, B = weight, Saved0 = rstd });
        return y;
    }

    /// <summary>Backward of <see cref="RmsNorm"/>. Entry: A x, B weight, Saved0 per-row 1/rms (rows).</summary>
    private void RmsNormBackward(ref TapeEntry e)
    {
        int rows = e.A!.Shape.Rows, dim = e.A.Shape.Last;
        RmsNormKernel.Backward(e.A.AsSpan(), e.B!.AsSpan(), e.Saved0!.AsSpan(), e.Output.Grad!.AsSpan(),
            GradSpan(e.A), GradSpan(e.B), rows, dim);
    }

    /// <summary>LayerNorm over the last dimension: y = (x − mean) / √(var + eps) ⊙ weight + bias.</summary>
    /// <param name="x">(..., d).</param>
    /// <param name="weight">(d) gain.</param>
    /// <param name="bias">(d) shift.</param>
    /// <param name="eps">Added to the variance for stability.</param>
    public Tensor LayerNorm(Tensor x, Tensor weight, Tensor bias, float eps = 1e-5f)
    {
        RequireRowVector(x, weight, nameof(LayerNorm));
        RequireRowVector(x, bias, nameof(LayerNorm));
        int rows = x.Shape.Rows, dim = x.Shape.Last;
        var y = NewOutput(x.Shape);
        var mean = NewOutput(new Shape(rows));
        var rstd = NewOutput(new Shape(rows));
        LayerNormKernel.Forward(x.AsSpan(), weight.AsSpan(), bias.AsSpan(), y.AsSpan(), mean.AsSpan(), rstd.AsSpan(), rows, dim, eps);
        if (ShouldRecord(x, weight, bias))
            Record(new TapeEntry { Op = OpCode.LayerNorm, Output = y, A = x, B = weight, C = bias, Saved0 = mean, Saved1 = rstd });
        return y;
    }

    /// <summary>Backward of <see cref="LayerNorm"/>. Entry: A x, B weight, C bias, Saved0 row means, Saved1 row 1/std.</summary>
    private void LayerNormBackward(ref TapeEntry e)
    {
        int rows = e.A!.Shape.Rows, dim = e.A.Shape.Last;
        LayerNormKernel.Backward(e.A.AsSpan(), e.B!.AsSpan(), e.Saved0!.AsSpan(), e.Saved1!.AsSpan(), e.Output.Grad!.AsSpan(),
            GradSpan(e.A), GradSpan(e.B), GradSpan(e.C!), rows, dim);
    }
}
