using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Training.Objectives;

/// <summary>
/// The GRPO/PPO clipped surrogate with clip-higher and an optional k3 KL to a reference, per token:
/// <code>
/// ratio  = exp(new − old)
/// obj    = min(ratio·A, clip(ratio, 1 − ε_low, 1 + ε_high)·A)
/// kl     = exp(ref − new) − (ref − new) − 1                       (k3, ≥ 0, unbiased for KL(new ‖ ref))
/// loss_t = −obj + β·kl
/// </code>
/// reduced by <see cref="LossAggregation"/>. Old and reference log-probs are constants; only <c>new</c> is
/// differentiated, so a trainer calls this once per inner epoch with the same <see cref="PolicyLossInputs"/>.
/// </summary>
public static class PolicyLoss
{
    /// <summary>Builds the loss on <paramref name="tape"/>.</summary>
    /// <param name="tape">The tape that produced <paramref name="newLogProbs"/>.</param>
    /// <param name="newLogProbs">(B, T) from <c>CausalLmLoss.NextTokenLogProbs</c> of the policy being trained.</param>
    /// <param name="inputs">Mask, old and reference log-probs, advantages, aligned with <paramref name="newLogProbs"/>.</param>
    /// <param name="options">Clip range, β, aggregation; defaults when null.</param>
    /// <param name="logits">Optional (B, T, V) policy logits: only read (no gradient) for the entropy metric.</param>
    public static PolicyLossResult Compute(Tape tape, Tensor newLogProbs, PolicyLossInputs inputs,
        PolicyLossOptions? options = null, Tensor? logits = null)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(newLogProbs);
        ArgumentNullException.ThrowIfNull(inputs);
        options ??= new PolicyLossOptions();
        options.Validate();
        int batch = inputs.Batch, length = inputs.Length, n = batch * length;
        if (newLogProbs.Count != n)
            throw new ArgumentException($"PolicyLoss: new log-probs {newLogProbs.Shape} do not match inputs of {batch} × {length}", nameof(newLogProbs));
        if (options.Beta > 0f && inputs.ReferenceLogProbs is null)
            throw new ArgumentException($"PolicyLoss: β = {options.Beta} needs reference log-probs", nameof(inputs));
        if (logits is not null && (logits.Rank != 3 || logits.Shape[0] != batch || logits.Shape[1] != length))
            throw new ArgumentException($"PolicyLoss: logits {logits.Shape} must be ({batch}, {length}, V)", nameof(logits));

        var shape = newLogProbs.Shape;
        var current = newLogProbs.AsSpan();
        var mask = inputs.Mask;
        // Off-mask positions (prompt, padding, the last position) get old = ref = new, so their ratio is exactly 1 and
        // their KL exactly 0: garbage log-probs there can neither overflow exp nor leak a NaN through a 0 weight.
        var old = new float[n];
        var reference = inputs.ReferenceLogProbs is null ? null : new float[n];
        for (int i = 0; i < n; i++)
        {
            bool on = mask[i] != 0f;
            old[i] = on ? inputs.OldLogProbs[i] : current[i];
            if (reference is not null) reference[i] = on ? inputs.ReferenceLogProbs![i] : current[i];
        }

        var advantages = tape.NewTensor(shape, inputs.PositionAdvantages);
        var logRatio = tape.Sub(newLogProbs, tape.NewTensor(shape, old));
        if (float.IsFinite(options.MaxLogRatio)) logRatio = tape.Clamp(logRatio, -options.MaxLogRatio, options.MaxLogRatio);
        var ratio = tape.Exp(logRatio);
        var unclipped = tape.Mul(ratio, advantages);
        var clipped = tape.Mul(tape.Clamp(ratio, 1f - options.ClipLow, 1f + options.ClipHigh), advantages);
        // Minimum sends the gradient to its first argument on ties, so inside the clip range (where both agree) the
        // unclipped term carries it, and at A = 0 the gradient is exactly 0.
        var perToken = tape.Scale(tape.Minimum(unclipped, clipped), -1f);
        if (reference is not null && options.Beta > 0f)
        {
            var refMinusNew = tape.Sub(tape.NewTensor(shape, reference), newLogProbs);
            var kl = tape.AddScalar(tape.Sub(tape.Exp(refMinusNew), refMinusNew), -1f); // k3
            perToken = tape.Add(perToken, tape.Scale(kl, options.Beta));
        }
        var weights = tape.NewTensor(shape, AggregationWeights(mask, batch, length, options));
        var loss = tape.Sum(tape.Mul(perToken, weights));

        var metrics = Measure(tape, inputs, options, current, old, reference, ratio.AsSpan(), logits);
        return new PolicyLossResult(loss, metrics);
    }

    /// <summary>w such that loss = Σ w ⊙ loss_t realises the aggregation, (B·T).</summary>
    internal static float[] AggregationWeights(float[] mask, int batch, int length, PolicyLossOptions options)
    {
        var w = new float[batch * length];
        switch (options.Aggregation)
        {
            case LossAggregation.TokenMean:
            {
                double total = 0;
                foreach (var m in mask) total += m;
                if (options.StepMaskTotal > 0) total = options.StepMaskTotal;
                if (total > 0) for (int i = 0; i < w.Length; i++) w[i] = (float)(mask[i] / total);
                break;
            }
            case LossAggregation.SequenceMean:
            {
                var rowTotals = new double[batch];
                int rows = 0;
                for (int b = 0; b < batch; b++)
                {
                    for (int t = 0; t < length; t++) rowTotals[b] += mask[b * length + t];
                    if (rowTotals[b] > 0) rows++;
                }
                if (options.StepSequenceCount > 0) rows = options.StepSequenceCount;
                for (int b = 0; b < batch; b++)
                    if (rowTotals[b] > 0)
                        for (int t = 0; t < length; t++) w[b * length + t] = (float)(mask[b * length + t] / rowTotals[b] / rows);
                break;
            }
            case LossAggregation.FixedLength:
            {
                double denominator = (double)(options.StepSequenceCount > 0 ? options.StepSequenceCount : batch) * options.FixedLength;
                for (int i = 0; i < w.Length; i++) w[i] = (float)(mask[i] / denominator);
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Aggregation, "unknown loss aggregation");
        }
        return w;
    }

    /// <summary>k3 = e^d − d − 1 for d = log(q/p), p the sampling policy; ≥ 0, and 0 only at d = 0.</summary>
    private static double K3(double d) => Math.Exp(d) - d - 1.0;

    private static PolicyLossMetrics Measure(Tape tape, PolicyLossInputs inputs, PolicyLossOptions options,
        ReadOnlySpan<float> current, float[] old, float[]? reference, ReadOnlySpan<float> ratio, Tensor? logits)
    {
        var mask = inputs.Mask;
        int tokens = 0, low = 0, high = 0;
        double ratioSum = 0, approxKl = 0, refKl = 0;
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i] == 0f) continue;
            tokens++;
            float a = inputs.PositionAdvantages[i], r = ratio[i];
            if (a < 0f && r < 1f - options.ClipLow) low++;
            if (a > 0f && r > 1f + options.ClipHigh) high++;
            ratioSum += r;
            // The KLs are recomputed in float64: the float32 k3 on the tape carries rounding of ~1e-7 around 0,
            // while the metric should be exactly 0 at equality and never negative.
            approxKl += K3((double)old[i] - current[i]);
            if (reference is not null) refKl += K3((double)reference[i] - current[i]);
        }
        double? entropy = null;
        if (logits is not null)
        {
            using (tape.NoGrad())
            {
                var h = tape.Entropy(logits).AsSpan(); // (B, T): entropy of the distribution at each predicting position
                double sum = 0;
                for (int i = 0; i < mask.Length; i++) if (mask[i] != 0f) sum += h[i];
                entropy = tokens == 0 ? 0 : sum / tokens;
            }
        }
        double Share(double x) => tokens == 0 ? 0 : x / tokens;
        return new PolicyLossMetrics
        {
            TokenCount = tokens,
            ClipLowFraction = Share(low),
            ClipHighFraction = Share(high),
            MeanRatio = tokens == 0 ? 1 : ratioSum / tokens,
            ApproxKl = Share(approxKl),
            ReferenceKl = reference is null ? null : Share(refKl),
            Entropy = entropy,
        };
    }
}
