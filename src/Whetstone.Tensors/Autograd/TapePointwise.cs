using System.Numerics.Tensors;

namespace Whetstone.Tensors.Autograd;

public sealed partial class Tape
{
    // Small element-wise ops that RL and preference losses are built from (GRPO's ratio exp(logp − old)
    // and its clip, DPO's log σ(β·Δ)). They run on per-token tensors (B·T values, not B·T·V), so plain
    // TensorPrimitives calls are fast enough and no dedicated kernel is needed.

    /// <summary>eˣ, element-wise.</summary>
    /// <param name="x">Any shape.</param>
    public Tensor Exp(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = NewOutput(x.Shape);
        TensorPrimitives.Exp(x.AsSpan(), y.AsSpan());
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.Exp, Output = y, A = x });
        return y;
    }

    /// <summary>log σ(x) = −log(1 + e⁻ˣ), element-wise, computed without overflow for large |x|.</summary>
    /// <param name="x">Any shape.</param>
    public Tensor LogSigmoid(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = NewOutput(x.Shape);
        var xs = x.AsSpan();
        var ys = y.AsSpan();
        for (int i = 0; i < xs.Length; i++)
        {
            float v = xs[i];
            ys[i] = MathF.Min(v, 0f) - MathF.Log(1f + MathF.Exp(-MathF.Abs(v)));
        }
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.LogSigmoid, Output = y, A = x });
        return y;
    }

    /// <summary>x + c for a constant c, element-wise.</summary>
    /// <param name="x">Any shape.</param>
    /// <param name="c">Constant added to every element.</param>
    public Tensor AddScalar(Tensor x, float c)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = NewOutput(x.Shape);
        TensorPrimitives.Add(x.AsSpan(), c, y.AsSpan());
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.AddScalar, Output = y, A = x });
        return y;
    }

    /// <summary>min(max(x, low), high), element-wise. The gradient passes where low ≤ x ≤ high and is 0 elsewhere (as in PyTorch).</summary>
    /// <param name="x">Any shape.</param>
    /// <param name="low">Lower bound.</param>
    /// <param name="high">Upper bound, ≥ <paramref name="low"/>.</param>
    public Tensor Clamp(Tensor x, float low, float high)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!(low <= high)) throw new ArgumentException($"Clamp: low ({low}) must not exceed high ({high}).");
        var y = NewOutput(x.Shape);
        TensorPrimitives.Clamp(x.AsSpan(), low, high, y.AsSpan());
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.Clamp, Output = y, A = x, F0 = low, F1 = high });
        return y;
    }

    /// <summary>Element-wise minimum. Where a ≤ b the gradient goes to a, otherwise to b.</summary>
    /// <param name="a">Any shape.</param>
    /// <param name="b">Same shape as <paramref name="a"/>.</param>
    public Tensor Minimum(Tensor a, Tensor b)
    {
        RequireSameShape(a, b, nameof(Minimum));
        var y = NewOutput(a.Shape);
        var sa = a.AsSpan();
        var sb = b.AsSpan();
        var sy = y.AsSpan();
        for (int i = 0; i < sy.Length; i++) sy[i] = sa[i] <= sb[i] ? sa[i] : sb[i];
        if (ShouldRecord(a, b)) Record(new TapeEntry { Op = OpCode.Minimum, Output = y, A = a, B = b });
        return y;
    }

    /// <summary>Backward of Exp, LogSigmoid, AddScalar, Clamp and Minimum. Entry: A x (or a), B b; Clamp: F0 low, F1 high.</summary>
    private void PointwiseBackward(ref TapeEntry e)
    {
        var dy = e.Output.Grad!.AsSpan();
        if (e.Op == OpCode.Minimum)
        {
            var a = e.A!.AsSpan();
            var b = e.B!.AsSpan();
            var da = GradSpan(e.A);
            var db = GradSpan(e.B);
            for (int i = 0; i < dy.Length; i++)
            {
                bool toA = a[i] <= b[i];
                if (toA && !da.IsEmpty) da[i] += dy[i];
                if (!toA && !db.IsEmpty) db[i] += dy[i];
            }
            return;
        }
        if (!e.A!.RequiresGrad) return;
        var x = e.A.AsSpan();
        var dx = GradOf(e.A).AsSpan();
        switch (e.Op)
        {
            case OpCode.Exp:
                TensorPrimitives.MultiplyAdd(dy, e.Output.AsSpan(), dx, dx); // d eˣ = eˣ
                break;
            case OpCode.LogSigmoid:
                for (int i = 0; i < dx.Length; i++) dx[i] += dy[i] / (1f + MathF.Exp(x[i])); // σ(−x)
                break;
            case OpCode.AddScalar:
                TensorPrimitives.Add(dx, dy, dx);
                break;
            case OpCode.Clamp:
                for (int i = 0; i < dx.Length; i++)
                    if (x[i] >= e.F0 && x[i] <= e.F1) dx[i] += dy[i];
                break;
        }
    }
}
