using System.Numerics.Tensors;

namespace Whetstone.Tensors.Autograd;

public sealed partial class Tape
{
    /// <summary>
    /// Repeats each head along axis 1, copying: (B, H_kv, T, D) → (B, H_kv·repeats, T, D), head h going to
    /// heads h·repeats .. h·repeats + repeats − 1. This is grouped-query attention's <c>repeat_kv</c> (Hugging Face order).
    /// </summary>
    /// <param name="x">(B, H_kv, T, D).</param>
    /// <param name="repeats">Query heads per key/value head (≥ 1; 1 returns a plain copy).</param>
    public Tensor RepeatHeads(Tensor x, int repeats)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || repeats < 1)
            throw new ArgumentException($"RepeatHeads needs (B, H_kv, T, D) and repeats ≥ 1, got {x.Describe()} and {repeats}.");
        var s = x.Shape;
        int b = s[0], h = s[1], block = s[2] * s[3];
        var y = NewOutput(new Shape(b, h * repeats, s[2], s[3]));
        var src = x.AsSpan();
        var dst = y.AsSpan();
        for (int i = 0; i < b * h; i++)
        {
            var head = src.Slice(i * block, block);
            for (int r = 0; r < repeats; r++) head.CopyTo(dst.Slice((i * repeats + r) * block, block));
        }
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.RepeatHeads, Output = y, A = x, I0 = repeats });
        return y;
    }

    /// <summary>Backward of <see cref="RepeatHeads"/>: each source head receives the sum of its copies' gradients. Entry: I0 repeats.</summary>
    private void RepeatHeadsBackward(ref TapeEntry e)
    {
        if (!e.A!.RequiresGrad) return;
        var s = e.A.Shape;
        int heads = s[0] * s[1], block = s[2] * s[3], repeats = e.I0;
        var dy = e.Output.Grad!.AsSpan();
        var dx = GradOf(e.A).AsSpan();
        for (int i = 0; i < heads; i++)
        {
            var to = dx.Slice(i * block, block);
            for (int r = 0; r < repeats; r++) TensorPrimitives.Add(to, dy.Slice((i * repeats + r) * block, block), to);
        }
    }
}
