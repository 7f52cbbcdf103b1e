using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Models.Transformer;

/// <summary>
/// Something added to a <see cref="LinearLayer"/>'s output, such as a LoRA adapter (y + (α/r)·x·Aᵀ·Bᵀ).
/// The layer computes its frozen x·Wᵀ + b first and then hands both x and that result to the extension,
/// once on the training tape and once on the no-tape inference path.
/// </summary>
public interface ILinearExtension
{
    /// <summary>Training path: returns the layer's final output given its input and base output.</summary>
    /// <param name="tape">The tape recording the forward pass.</param>
    /// <param name="x">The layer's input, (..., in).</param>
    /// <param name="baseOutput">x·Wᵀ + b, (..., out): the layer's fresh result, handed over to the extension, which may
    /// accumulate into it in place (<c>Tape.AccumulateLinear</c>) rather than allocate another output-sized buffer.</param>
    /// <returns>(..., out), typically <c>tape.Add(baseOutput, delta)</c>.</returns>
    Tensor Forward(Tape tape, Tensor x, Tensor baseOutput);

    /// <summary>
    /// True when <see cref="Forward"/> returns baseOutput plus a delta that does not depend on baseOutput's value (LoRA).
    /// Then <see cref="LinearLayer.ForwardAdd"/> may hand it a baseOutput with a residual already summed in, saving one
    /// output-sized buffer per residual connection. False (the default) for anything that reads or rescales baseOutput.
    /// </summary>
    bool OnlyAddsDelta => false;

    /// <summary>Inference path: adds the extension's contribution to <paramref name="output"/> in place.</summary>
    /// <param name="x">Input rows, (rows, in).</param>
    /// <param name="output">Base output rows, (rows, out); the delta is added here.</param>
    /// <param name="rows">Number of rows.</param>
    void AddTo(ReadOnlySpan<float> x, Span<float> output, int rows);
}
