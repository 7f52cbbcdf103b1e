namespace Whetstone.Tensors.Autograd;

public sealed partial class Tape
{
    /// <summary>
    /// A linear layer in PyTorch/Hugging Face layout: y = x·Wᵀ (+ bias). Shorthand for
    /// <see cref="MatMul"/> with <c>transposeB: true</c> followed by <see cref="AddBias"/>.
    /// </summary>
    /// <param name="x">(..., in).</param>
    /// <param name="weight">(out, in), as stored in safetensors checkpoints.</param>
    /// <param name="bias">Optional (out).</param>
    /// <returns>(..., out).</returns>
    public Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null)
    {
        var y = MatMul(x, weight, transposeB: true);
        return bias is null ? y : AddBias(y, bias);
    }
}
