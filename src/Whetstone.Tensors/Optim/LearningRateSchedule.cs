namespace Whetstone.Tensors.Optim;

/// <summary>
/// Learning rate as a function of the optimizer step: optional linear warmup, then constant, cosine or
/// linear decay down to <c>minLrRatio</c>·peak. Formulas follow Hugging Face transformers'
/// <c>get_cosine_schedule_with_warmup</c> / <c>get_linear_schedule_with_warmup</c>, extended with a floor.
/// </summary>
public sealed class LearningRateSchedule
{
    private enum Decay { Constant, Cosine, Linear }

    private readonly Decay _decay;

    private LearningRateSchedule(Decay decay, float peak, int warmupSteps, int totalSteps, float minLrRatio)
    {
        if (!(peak >= 0)) throw new ArgumentOutOfRangeException(nameof(peak), $"Peak learning rate must be ≥ 0, got {peak}.");
        if (warmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(warmupSteps), $"warmupSteps must be ≥ 0, got {warmupSteps}.");
        if (decay != Decay.Constant && totalSteps < warmupSteps)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), $"totalSteps ({totalSteps}) must be ≥ warmupSteps ({warmupSteps}).");
        if (!(minLrRatio >= 0 && minLrRatio <= 1)) throw new ArgumentOutOfRangeException(nameof(minLrRatio), $"minLrRatio must be in [0, 1], got {minLrRatio}.");
        _decay = decay;
        PeakLearningRate = peak;
        WarmupSteps = warmupSteps;
        TotalSteps = totalSteps;
        MinLrRatio = minLrRatio;
    }

    /// <summary>The learning rate reached at the end of warmup.</summary>
    public float PeakLearningRate { get; }

    /// <summary>Steps of linear warmup from 0 (at step 0) to the peak (at step <see cref="WarmupSteps"/>).</summary>
    public int WarmupSteps { get; }

    /// <summary>Step at which decay reaches its floor (unused by constant schedules).</summary>
    public int TotalSteps { get; }

    /// <summary>Floor of the decay as a fraction of the peak.</summary>
    public float MinLrRatio { get; }

    /// <summary>A fixed learning rate, optionally after a linear warmup.</summary>
    /// <param name="learningRate">The rate.</param>
    /// <param name="warmupSteps">Warmup length (0 for none).</param>
    public static LearningRateSchedule Constant(float learningRate, int warmupSteps = 0) =>
        new(Decay.Constant, learningRate, warmupSteps, warmupSteps, 1f);

    /// <summary>Linear warmup, then half a cosine from the peak down to minLrRatio·peak at <paramref name="totalSteps"/>.</summary>
    /// <param name="peak">Learning rate at the end of warmup.</param>
    /// <param name="warmupSteps">Warmup length.</param>
    /// <param name="totalSteps">Total training steps.</param>
    /// <param name="minLrRatio">Final rate as a fraction of the peak.</param>
    public static LearningRateSchedule WarmupCosine(float peak, int warmupSteps, int totalSteps, float minLrRatio = 0f) =>
        new(Decay.Cosine, peak, warmupSteps, totalSteps, minLrRatio);

    /// <summary>Linear warmup, then a straight line from the peak down to minLrRatio·peak at <paramref name="totalSteps"/>.</summary>
    /// <param name="peak">Learning rate at the end of warmup.</param>
    /// <param name="warmupSteps">Warmup length.</param>
    /// <param name="totalSteps">Total training steps.</param>
    /// <param name="minLrRatio">Final rate as a fraction of the peak.</param>
    public static LearningRateSchedule WarmupLinear(float peak, int warmupSteps, int totalSteps, float minLrRatio = 0f) =>
        new(Decay.Linear, peak, warmupSteps, totalSteps, minLrRatio);

    /// <summary>The learning rate for the update at 0-based <paramref name="step"/> (steps past the end stay at the floor).</summary>
    /// <param name="step">Number of optimizer steps already taken.</param>
    public float At(long step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), $"step must be ≥ 0, got {step}.");
        if (step < WarmupSteps) return (float)(PeakLearningRate * (double)step / WarmupSteps);
        if (_decay == Decay.Constant) return PeakLearningRate;
        double progress = Math.Min(1.0, (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps));
        double shape = _decay == Decay.Cosine ? 0.5 * (1.0 + Math.Cos(Math.PI * progress)) : 1.0 - progress;
        return (float)(PeakLearningRate * (MinLrRatio + (1.0 - MinLrRatio) * shape));
    }
}
