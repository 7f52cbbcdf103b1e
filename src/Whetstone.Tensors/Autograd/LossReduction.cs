namespace Whetstone.Tensors.Autograd;

/// <summary>How a per-token loss is reduced to the scalar that is back-propagated.</summary>
public enum LossReduction
{
    /// <summary>Average over the counted tokens (non-ignored, or weighted by the sum of weights).</summary>
    Mean,

    /// <summary>Plain sum; use it when normalising yourself (e.g. by tokens across accumulated micro-batches).</summary>
    Sum,
}
