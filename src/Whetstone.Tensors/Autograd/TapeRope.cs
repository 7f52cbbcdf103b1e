using Whetstone.Tensors.Kernels;

namespace Whetstone.Tensors.Autograd;

public sealed partial class Tape
{
    /// <summary>
    /// Rotary position embedding (Hugging Face rotate-half) applied to q or k straight out of the projection,
    /// before heads are transposed: x (B, T, H, D) or (T, H, D).
    /// </summary>
    /// <param name="x">(B, T, H, D) or (T, H, D).</param>
    /// <param name="positions">Absolute position of each token: length T (shared by every batch entry) or B·T (one per token).
    /// Must stay unchanged until backward has run.</param>
    /// <param name="cos">(maxPositions, D/2) table from <see cref="RopeTables.Build"/>.</param>
    /// <param name="sin">(maxPositions, D/2) table from <see cref="RopeTables.Build"/>.</param>
    public Tensor Rope(Tensor x, ReadOnlyMemory<int> positions, Tensor cos, Tensor sin)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(cos);
        ArgumentNullException.ThrowIfNull(sin);
        if (x.Rank is not (3 or 4)) throw new ArgumentException($"Rope needs (B, T, H, D) or (T, H, D), got {x.Describe()}.");
        int tokens = x.Shape.Count / (x.Shape[-2] * x.Shape[-1]);
        if (positions.Length != tokens && positions.Length != x.Shape[-3])
            throw new ArgumentException($"Rope: {positions.Length} positions fit neither T = {x.Shape[-3]} nor B·T = {tokens} for {x.Describe()}.");
        var y = NewOutput(x.Shape);
        RopeApply(x.AsSpan(), y.AsSpan(), positions.Span, x.Shape, cos, sin, backward: false);
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.Rope, Output = y, A = x, B = cos, C = sin, Ids = positions });
        return y;
    }

    /// <summary>Runs the kernel once over all tokens, or once per batch entry when positions has length T.</summary>
    private static void RopeApply(ReadOnlySpan<float> src, Span<float> dst, ReadOnlySpan<int> positions, Shape shape,
        Tensor cos, Tensor sin, bool backward)
    {
        int heads = shape[-2], dim = shape[-1];
        int chunk = positions.Length * heads * dim;
        for (int start = 0; start < src.Length; start += chunk)
        {
            if (backward) RopeKernel.Backward(src.Slice(start, chunk), dst.Slice(start, chunk), positions, heads, dim, cos.AsSpan(), sin.AsSpan());
            else RopeKernel.Forward(src.Slice(start, chunk), dst.Slice(start, chunk), positions, heads, dim, cos.AsSpan(), sin.AsSpan());
        }
    }

    /// <summary>Backward of <see cref="Rope"/>: the inverse rotation of the gradient. Entry: A x, B cos, C sin, Ids positions.</summary>
    private void RopeBackward(ref TapeEntry e)
    {
        if (!e.A!.RequiresGrad) return;
        RopeApply(e.Output.Grad!.AsSpan(), GradOf(e.A).AsSpan(), e.Ids.Span, e.A.Shape, e.B!, e.C!, backward: true);
    }
}
