using Whetstone.Models.Configuration;
using Whetstone.Tensors;
using Whetstone.Tensors.Kernels;

namespace Whetstone.Models.Transformer;

/// <summary>The RoPE cos/sin tables of a model: each (positions, head_dim/2), with rope_theta and llama3 scaling applied.</summary>
internal static class RotaryTables
{
    /// <summary>Builds (cos, sin) for positions [0, <paramref name="positions"/>).</summary>
    public static (Tensor Cos, Tensor Sin) Build(ModelConfig config, int positions)
    {
        int half = config.HeadDim / 2;
        var invFreq = new float[half];
        var scaling = config.RopeScaling is { } s
            ? new Llama3RopeScaling((float)s.Factor, (float)s.LowFreqFactor, (float)s.HighFreqFactor, s.OriginalMaxPositionEmbeddings)
            : null;
        RopeTables.InverseFrequencies(invFreq, config.HeadDim, (float)config.RopeTheta, scaling);
        var cos = Tensor.Zeros(new Shape(positions, half));
        var sin = Tensor.Zeros(new Shape(positions, half));
        RopeTables.Build(invFreq, positions, cos.AsSpan(), sin.AsSpan());
        return (cos, sin);
    }
}
