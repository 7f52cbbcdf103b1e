using Whetstone.Tensors;

namespace Whetstone.Training.Objectives;

/// <summary>The scalar loss on the tape and its diagnostics.</summary>
/// <param name="Loss">Shape (1,), on the tape: pass it to <c>tape.Backward</c>.</param>
/// <param name="Metrics">Values for logging.</param>
public sealed record PolicyLossResult(Tensor Loss, PolicyLossMetrics Metrics);
