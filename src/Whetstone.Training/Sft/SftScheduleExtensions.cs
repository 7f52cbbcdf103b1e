using Whetstone.Tensors.Optim;

namespace Whetstone.Training.Sft;

/// <summary>Turns a trainer's <see cref="SftSchedule"/> setting into the optimizer's learning-rate schedule.</summary>
public static class SftScheduleExtensions
{
    /// <summary>The schedule of <paramref name="kind"/>: linear warmup to <paramref name="peak"/>, then its decay.</summary>
    /// <param name="kind">Cosine, linear or constant after warmup.</param>
    /// <param name="peak">Learning rate at the end of warmup.</param>
    /// <param name="warmupSteps">Optimizer steps of linear warmup.</param>
    /// <param name="totalSteps">Optimizer steps of the whole run (where the decay ends).</param>
    /// <param name="minLrRatio">Floor of the decay, as a fraction of <paramref name="peak"/>.</param>
    public static LearningRateSchedule Build(this SftSchedule kind, float peak, int warmupSteps, int totalSteps, float minLrRatio) => kind switch
    {
        SftSchedule.Cosine => LearningRateSchedule.WarmupCosine(peak, warmupSteps, totalSteps, minLrRatio),
        SftSchedule.Linear => LearningRateSchedule.WarmupLinear(peak, warmupSteps, totalSteps, minLrRatio),
        _ => LearningRateSchedule.Constant(peak, warmupSteps),
    };
}
