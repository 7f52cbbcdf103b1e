using System.Buffers;
using Whetstone.Models.Transformer;
using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Kernels;

namespace Whetstone.Models.Lora;

/// <summary>
/// One LoRA adapter on a <see cref="LinearLayer"/>: y = x·Wᵀ + b + scaling·(dropout(x)·Aᵀ)·Bᵀ with A (r, in) and
/// B (out, r). It is the layer's <see cref="ILinearExtension"/>, so the training tape and the KV-cache inference
/// path both add the same delta. It passes the base output through unchanged while its <see cref="LoraModel"/>
/// has adapters disabled or merged into W.
/// </summary>
public sealed class LoraLayer : ILinearExtension
{
    private readonly LoraModel _owner;

    internal LoraLayer(LoraModel owner, int blockIndex, string shortName, LinearLayer layer, int rank, float scaling, Rng init)
    {
        _owner = owner;
        BlockIndex = blockIndex;
        ShortName = shortName;
        Layer = layer;
        Scaling = scaling;
        // PEFT: kaiming_uniform_(A, a=√5) → bound = gain·√(3/fan_in) with gain = √(2/(1+a²)) = √(1/3), i.e. 1/√in.
        float bound = 1f / MathF.Sqrt(layer.InFeatures);
        A = Tensor.RandomUniform(new Shape(rank, layer.InFeatures), init, -bound, bound);
        B = Tensor.Zeros(new Shape(layer.OutFeatures, rank));   // zero: the adapted model starts equal to the base
    }

    /// <summary>Index of the transformer block this layer belongs to.</summary>
    public int BlockIndex { get; }

    /// <summary>HF short name of the adapted projection, e.g. <c>q_proj</c>.</summary>
    public string ShortName { get; }

    /// <summary>The adapted projection (its weight is frozen).</summary>
    public LinearLayer Layer { get; }

    /// <summary>lora_A.weight: (r, in).</summary>
    public Tensor A { get; }

    /// <summary>lora_B.weight: (out, r).</summary>
    public Tensor B { get; }

    /// <summary>alpha/r (or alpha/√r): the factor on B·A.</summary>
    public float Scaling { get; }

    /// <summary>Rank r.</summary>
    public int Rank => A.Shape[0];

    private bool Active => _owner.AdaptersEnabled && !_owner.IsMerged;

    /// <inheritdoc />
    public Tensor Forward(Tape tape, Tensor x, Tensor baseOutput)
    {
        if (!Active) return baseOutput;
        var input = _owner.Training && _owner.Config.Dropout > 0f ? Dropout(tape, x) : x;
        // Scale the rank-r activation, not the (..., out) delta, then accumulate h·Bᵀ into the layer's fresh output in
        // place: the adapter adds no out-sized buffer (nor gradient) beyond the base layer's.
        var h = tape.Scale(tape.Linear(input, A), Scaling);   // (..., r)
        return tape.AccumulateLinear(baseOutput, h, B);       // (..., out)
    }

    /// <inheritdoc />
    public bool OnlyAddsDelta => true;

    /// <inheritdoc />
    public void AddTo(ReadOnlySpan<float> x, Span<float> output, int rows)
    {
        if (!Active || rows == 0) return;
        int r = Rank, k = Layer.InFeatures, n = Layer.OutFeatures;
        // A pooled scratch rather than a field: engines on different threads may share one model.
        var rented = ArrayPool<float>.Shared.Rent(rows * r);
        try
        {
            LoraDelta.Add(x, A.AsSpan(), B.AsSpan(), Scaling, output, rows, k, n, r, rented);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>Inverted dropout: each input element is zeroed with probability p, the rest scaled by 1/(1−p).</summary>
    private Tensor Dropout(Tape tape, Tensor x)
    {
        float p = _owner.Config.Dropout, keep = 1f / (1f - p);
        var mask = tape.NewTensor(x.Shape);
        var m = mask.AsSpan();
        var rng = _owner.DropoutRng;
        for (int i = 0; i < m.Length; i++) m[i] = rng.NextFloat() < p ? 0f : keep;
        return tape.Mul(x, mask);
    }

    /// <summary>W += sign·scaling·B·A: (out, r)·(r, in).</summary>
    internal void AddDeltaToWeight(float sign)
    {
        int r = Rank, k = Layer.InFeatures, n = Layer.OutFeatures;
        Gemm.Multiply(Transpose.None, Transpose.None, n, k, r, sign * Scaling, B.AsSpan(), r, A.AsSpan(), k, 1f,
            Layer.Weight.AsSpan(), k);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Layer.Name} lora r={Rank} scaling={Scaling}";
}
