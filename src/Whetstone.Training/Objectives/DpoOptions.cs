namespace Whetstone.Training.Objectives;

/// <summary>Settings of <see cref="DpoLoss"/>.</summary>
public sealed record DpoOptions
{
    /// <summary>β, the inverse temperature of the implicit reward β·log(π/π_ref); TRL's 0.1.</summary>
    public float Beta { get; init; } = 0.1f;

    /// <summary>
    /// Label smoothing ε of conservative DPO (cDPO): loss = −(1 − ε)·log σ(z) − ε·log σ(−z), for preferences that are
    /// wrong with probability ε. 0 (plain DPO) by default.
    /// </summary>
    public float LabelSmoothing { get; init; }

    internal void Validate()
    {
        if (!(Beta > 0f) || !float.IsFinite(Beta)) throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "β must be finite and > 0");
        if (!(LabelSmoothing >= 0f && LabelSmoothing < 0.5f))
            throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, "label smoothing must be in [0, 0.5)");
    }
}
