namespace Whetstone.Tensors.Optim;

/// <summary>Hyper-parameters of <see cref="AdamW"/> (defaults match PyTorch's <c>torch.optim.AdamW</c>).</summary>
public sealed record AdamWOptions
{
    /// <summary>Initial learning rate; a schedule usually overrides it each step via <see cref="AdamW.LearningRate"/>.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Decay rate of the first-moment (mean) estimate.</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>Decay rate of the second-moment (uncentred variance) estimate.</summary>
    public float Beta2 { get; init; } = 0.999f;

    /// <summary>Added to √v̂ in the denominator for stability.</summary>
    public float Epsilon { get; init; } = 1e-8f;

    /// <summary>Decoupled weight decay: each step multiplies weights by (1 − lr·WeightDecay), independent of the gradient.</summary>
    public float WeightDecay { get; init; } = 0.01f;

    /// <summary>Throws when a value is outside its valid range, naming the field.</summary>
    public void Validate()
    {
        if (!(LearningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), $"AdamW LearningRate must be ≥ 0, got {LearningRate}.");
        if (!(Beta1 >= 0 && Beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(Beta1), $"AdamW Beta1 must be in [0, 1), got {Beta1}.");
        if (!(Beta2 >= 0 && Beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(Beta2), $"AdamW Beta2 must be in [0, 1), got {Beta2}.");
        if (!(Epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(Epsilon), $"AdamW Epsilon must be > 0, got {Epsilon}.");
        if (!(WeightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), $"AdamW WeightDecay must be ≥ 0, got {WeightDecay}.");
    }
}
