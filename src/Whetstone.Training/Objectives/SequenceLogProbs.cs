using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Training.Objectives;

/// <summary>Masked per-sequence log-probability sums, log π(completion | prompt) = Σ_t mask·log p — DPO's inputs.</summary>
public static class SequenceLogProbs
{
    /// <summary>
    /// Σ_t mask[b, t+1]·nextTokenLogProbs[b, t] → (B), on the tape. The mask is per TARGET token (a sequence's
    /// <c>LossMask</c>, or a padded batch's), shifted here onto predicting positions.
    /// </summary>
    /// <param name="tape">The tape that produced <paramref name="nextTokenLogProbs"/>.</param>
    /// <param name="nextTokenLogProbs">(B, T) from <c>CausalLmLoss.NextTokenLogProbs</c>.</param>
    /// <param name="targetMask">(B·T): 1 on completion tokens, 0 on prompt and padding.</param>
    public static Tensor Sum(Tape tape, Tensor nextTokenLogProbs, ReadOnlySpan<float> targetMask)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(nextTokenLogProbs);
        if (nextTokenLogProbs.Rank != 2 || targetMask.Length != nextTokenLogProbs.Count)
            throw new ArgumentException($"SequenceLogProbs: log-probs must be (B, T) with B·T mask values; got {nextTokenLogProbs.Shape} and {targetMask.Length}");
        int batch = nextTokenLogProbs.Shape[0], length = nextTokenLogProbs.Shape[1];
        var weights = PredictionPositions.FromTargets(targetMask, batch, length);
        return tape.SumLastAxis(tape.Mul(nextTokenLogProbs, tape.NewTensor(nextTokenLogProbs.Shape, weights)));
    }
}
