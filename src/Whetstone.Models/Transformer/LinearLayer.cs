using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Models.Transformer;

/// <summary>
/// A linear projection in Hugging Face layout: y = x·Wᵀ + b with W (out, in). The seam for adapters: set
/// <see cref="Extension"/> (e.g. LoRA) and both the tape forward and the KV-cache inference path add its output.
/// </summary>
public sealed class LinearLayer
{
    /// <summary>Creates a layer over existing parameter tensors.</summary>
    /// <param name="name">HF module name without the suffix, e.g. <c>model.layers.0.self_attn.q_proj</c>.</param>
    /// <param name="weight">(out, in).</param>
    /// <param name="bias">(out), or null.</param>
    public LinearLayer(string name, Tensor weight, Tensor? bias)
    {
        if (weight.Rank != 2)
            throw new ArgumentException($"{name}: weight must be (out, in), got {weight.Shape}.");
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != weight.Shape[0]))
            throw new ArgumentException($"{name}: bias must be ({weight.Shape[0]}), got {bias.Shape}.");
        Name = name;
        Weight = weight;
        Bias = bias;
    }

    /// <summary>HF module name, e.g. <c>model.layers.3.mlp.down_proj</c>; parameters are <c>Name + ".weight"</c> and <c>".bias"</c>.</summary>
    public string Name { get; }

    /// <summary>(out, in).</summary>
    public Tensor Weight { get; }

    /// <summary>(out), or null when the layer has no bias.</summary>
    public Tensor? Bias { get; }

    /// <summary>Input width.</summary>
    public int InFeatures => Weight.Shape[1];

    /// <summary>Output width.</summary>
    public int OutFeatures => Weight.Shape[0];

    /// <summary>An adapter whose output is added to this layer's (null: plain linear).</summary>
    public ILinearExtension? Extension { get; set; }

    /// <summary>y = x·Wᵀ + b (+ extension) on the tape: (..., in) → (..., out).</summary>
    public Tensor Forward(Tape tape, Tensor x)
    {
        var y = tape.Linear(x, Weight, Bias);
        return Extension is null ? y : Extension.Forward(tape, x, y);
    }

    /// <summary>
    /// residual + (x·Wᵀ + b + extension) on the tape: (..., in) → (..., out). Without a bias, and with no extension or
    /// one that <see cref="ILinearExtension.OnlyAddsDelta"/>, the product accumulates into a copy of the residual
    /// (<see cref="Tape.AddLinear"/>): one output-sized buffer instead of two.
    /// </summary>
    /// <param name="tape">The tape recording the forward pass.</param>
    /// <param name="x">(..., in).</param>
    /// <param name="residual">(..., out), e.g. the residual stream.</param>
    public Tensor ForwardAdd(Tape tape, Tensor x, Tensor residual)
    {
        ArgumentNullException.ThrowIfNull(tape);
        if (Bias is not null || Extension is { OnlyAddsDelta: false }) return tape.Add(residual, Forward(tape, x));
        var y = tape.AddLinear(residual, x, Weight);
        return Extension is null ? y : Extension.Forward(tape, x, y);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({OutFeatures}, {InFeatures}){(Bias is null ? "" : " +bias")}";
}
