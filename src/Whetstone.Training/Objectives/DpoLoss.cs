using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Training.Objectives;

/// <summary>
/// The sigmoid DPO loss (Rafailov et al. 2023), mean over P preference pairs:
/// <code>
/// z    = β·((π_c − ref_c) − (π_r − ref_r))          π, ref: summed completion log-probs (see SequenceLogProbs)
/// loss = −(1 − ε)·log σ(z) − ε·log σ(−z)            ε = label smoothing, 0 for plain DPO
/// </code>
/// Only the policy sums are differentiated; the reference sums are constants from a NoGrad pass.
/// </summary>
public static class DpoLoss
{
    /// <summary>Builds the loss from separate chosen and rejected sums.</summary>
    /// <param name="tape">The tape that produced the policy sums.</param>
    /// <param name="policyChosen">(P) log π(chosen), on the tape.</param>
    /// <param name="policyRejected">(P) log π(rejected), on the tape.</param>
    /// <param name="referenceChosen">(P) log π_ref(chosen).</param>
    /// <param name="referenceRejected">(P) log π_ref(rejected).</param>
    /// <param name="options">β and label smoothing; defaults when null.</param>
    public static DpoLossResult Compute(Tape tape, Tensor policyChosen, Tensor policyRejected,
        ReadOnlySpan<float> referenceChosen, ReadOnlySpan<float> referenceRejected, DpoOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(policyChosen);
        ArgumentNullException.ThrowIfNull(policyRejected);
        options ??= new DpoOptions();
        options.Validate();
        int pairs = policyChosen.Count;
        if (pairs == 0 || policyChosen.Rank != 1 || policyRejected.Rank != 1 || policyRejected.Count != pairs
            || referenceChosen.Length != pairs || referenceRejected.Length != pairs)
            throw new ArgumentException($"DpoLoss: need (P) tensors and P reference values; got chosen {policyChosen.Shape}, rejected {policyRejected.Shape}, {referenceChosen.Length} and {referenceRejected.Length} reference values");
        var referenceMargin = new float[pairs];
        for (int p = 0; p < pairs; p++)
        {
            if (!float.IsFinite(referenceChosen[p]) || !float.IsFinite(referenceRejected[p]))
                throw new ArgumentException($"DpoLoss: reference log-probs of pair {p} are not finite ({referenceChosen[p]}, {referenceRejected[p]})");
            referenceMargin[p] = referenceChosen[p] - referenceRejected[p];
        }
        var shape = new Shape(pairs);
        var z = tape.Scale(tape.Sub(tape.Sub(policyChosen, policyRejected), tape.NewTensor(shape, referenceMargin)), options.Beta);
        var perPair = tape.Scale(tape.LogSigmoid(z), -(1f - options.LabelSmoothing));
        if (options.LabelSmoothing > 0f)
            perPair = tape.Sub(perPair, tape.Scale(tape.LogSigmoid(tape.Scale(z, -1f)), options.LabelSmoothing));
        var loss = tape.Mean(perPair);

        var pc = policyChosen.AsSpan();
        var pr = policyRejected.AsSpan();
        double chosen = 0, rejected = 0, margin = 0;
        int correct = 0;
        for (int p = 0; p < pairs; p++)
        {
            double c = options.Beta * ((double)pc[p] - referenceChosen[p]);
            double r = options.Beta * ((double)pr[p] - referenceRejected[p]);
            chosen += c;
            rejected += r;
            margin += c - r;
            if (c > r) correct++;
        }
        var metrics = new DpoMetrics
        {
            PairCount = pairs,
            RewardAccuracy = (double)correct / pairs,
            RewardMargin = margin / pairs,
            ChosenReward = chosen / pairs,
            RejectedReward = rejected / pairs,
        };
        return new DpoLossResult(loss, metrics);
    }

    /// <summary>
    /// Builds the loss from one concatenated forward (TRL's layout): rows [0, P) chosen, [P, 2P) rejected.
    /// </summary>
    /// <param name="tape">The tape that produced <paramref name="policySums"/>.</param>
    /// <param name="policySums">(2P) from <see cref="SequenceLogProbs.Sum"/> over the chosen rows then the rejected rows.</param>
    /// <param name="referenceSums">(2P) in the same order.</param>
    /// <param name="options">β and label smoothing; defaults when null.</param>
    public static DpoLossResult Compute(Tape tape, Tensor policySums, ReadOnlySpan<float> referenceSums, DpoOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(policySums);
        if (policySums.Rank != 1 || policySums.Count % 2 != 0 || policySums.Count == 0 || referenceSums.Length != policySums.Count)
            throw new ArgumentException($"DpoLoss: need (2P) policy sums and as many reference sums; got {policySums.Shape} and {referenceSums.Length}");
        int pairs = policySums.Count / 2;
        return Compute(tape, tape.Slice(policySums, 0, pairs), tape.Slice(policySums, pairs, pairs),
            referenceSums[..pairs], referenceSums[pairs..], options);
    }
}
