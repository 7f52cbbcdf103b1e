namespace Whetstone.Tensors.Kernels;

/// <summary>
/// The inverse frequencies and cos/sin tables that <see cref="RopeKernel"/> reads. Hugging Face
/// rotate-half convention: frequency i (0 ≤ i &lt; head_dim/2) rotates the pair (i, i + head_dim/2).
/// </summary>
public static class RopeTables
{
    /// <summary>
    /// invFreq[i] = theta^(−2i/headDim) for i in [0, headDim/2), then Llama 3 scaling when given.
    /// invFreq: (headDim/2). Computed in double and rounded once.
    /// </summary>
    public static void InverseFrequencies(Span<float> invFreq, int headDim, float theta, Llama3RopeScaling? scaling = null)
    {
        if (headDim <= 0 || headDim % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(headDim), headDim, "RoPE needs a positive, even head_dim.");
        if (!(theta > 0f))
            throw new ArgumentOutOfRangeException(nameof(theta), theta, "rope_theta must be positive.");
        int half = headDim / 2;
        ShapeCheck.Length(invFreq.Length, half, nameof(invFreq));
        for (int i = 0; i < half; i++)
        {
            double f = 1.0 / Math.Pow(theta, 2.0 * i / headDim);
            invFreq[i] = (float)(scaling is null ? f : ScaleLlama3(f, scaling));
        }
    }

    // HF transformers' llama3 rule: wavelength λ = 2π/f. λ > old/low → f/factor; λ < old/high → f;
    // in between, blend with s = (old/λ − low)/(high − low): (1 − s)·f/factor + s·f.
    private static double ScaleLlama3(double f, Llama3RopeScaling s)
    {
        if (!(s.Factor > 0f) || !(s.HighFreqFactor > s.LowFreqFactor) || s.OriginalMaxPositionEmbeddings <= 0)
            throw new ArgumentException(
                $"Invalid llama3 rope_scaling: factor={s.Factor}, low_freq_factor={s.LowFreqFactor}, high_freq_factor={s.HighFreqFactor}, " +
                $"original_max_position_embeddings={s.OriginalMaxPositionEmbeddings} (need factor > 0, high > low, original > 0).",
                nameof(s));
        double old = s.OriginalMaxPositionEmbeddings;
        double lowFreqWavelen = old / s.LowFreqFactor;
        double highFreqWavelen = old / s.HighFreqFactor;
        double wavelen = 2.0 * Math.PI / f;
        if (wavelen > lowFreqWavelen) return f / s.Factor;
        if (wavelen < highFreqWavelen) return f;
        double smooth = (old / wavelen - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
        return (1.0 - smooth) * f / s.Factor + smooth * f;
    }

    /// <summary>
    /// cos, sin: (maxPositions, headDim/2) with angle = position · invFreq[i]. The product is taken in
    /// float32, as Hugging Face does, so tables match its rounding at long positions.
    /// </summary>
    public static void Build(ReadOnlySpan<float> invFreq, int maxPositions, Span<float> cos, Span<float> sin)
    {
        int half = invFreq.Length;
        ShapeCheck.Rows(cos.Length, maxPositions, half, nameof(cos));
        ShapeCheck.Rows(sin.Length, maxPositions, half, nameof(sin));
        for (int p = 0; p < maxPositions; p++)
            for (int i = 0; i < half; i++)
            {
                float angle = (float)p * invFreq[i];
                cos[p * half + i] = (float)Math.Cos(angle);
                sin[p * half + i] = (float)Math.Sin(angle);
            }
    }
}
