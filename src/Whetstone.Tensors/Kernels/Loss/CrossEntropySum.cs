namespace Whetstone.Tensors.Kernels;

/// <summary>The result of <see cref="CrossEntropyKernel.Forward"/>: the summed loss and how many rows it covers.</summary>
/// <param name="Loss">Σ over non-ignored rows of −log softmax(logits)[target], accumulated in double.</param>
/// <param name="Count">Number of rows whose target was not the ignore index; the mean loss is Loss / Count.</param>
public readonly record struct CrossEntropySum(double Loss, int Count)
{
    /// <summary>Loss / Count, or 0 when every row was ignored.</summary>
    public double Mean => Count == 0 ? 0.0 : Loss / Count;
}
