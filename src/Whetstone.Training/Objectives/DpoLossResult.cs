using Whetstone.Tensors;

namespace Whetstone.Training.Objectives;

/// <summary>The DPO loss on the tape and its diagnostics.</summary>
/// <param name="Loss">Shape (1,), on the tape.</param>
/// <param name="Metrics">Values for logging.</param>
public sealed record DpoLossResult(Tensor Loss, DpoMetrics Metrics);
