namespace Whetstone.Training.Objectives;

/// <summary>Diagnostics of one <see cref="PolicyLoss"/> call, over the positions whose mask is non-zero (plain means).</summary>
public sealed record PolicyLossMetrics
{
    /// <summary>Positions with a non-zero mask.</summary>
    public int TokenCount { get; init; }

    /// <summary>Share of tokens where the clip is active: low-clipped plus high-clipped.</summary>
    public double ClipFraction => ClipLowFraction + ClipHighFraction;

    /// <summary>Share of tokens with A &lt; 0 and ratio &lt; 1 − ε_low (their gradient is cut).</summary>
    public double ClipLowFraction { get; init; }

    /// <summary>Share of tokens with A &gt; 0 and ratio &gt; 1 + ε_high (their gradient is cut).</summary>
    public double ClipHighFraction { get; init; }

    /// <summary>Mean of ratio = exp(new − old); 1 on the first inner epoch when old = new.</summary>
    public double MeanRatio { get; init; }

    /// <summary>Mean k3 estimate of KL(new ‖ old): how far the inner epochs moved the policy (PPO's approx_kl).</summary>
    public double ApproxKl { get; init; }

    /// <summary>Mean k3 estimate of KL(new ‖ reference); null without reference log-probs.</summary>
    public double? ReferenceKl { get; init; }

    /// <summary>Mean entropy (nats) of the policy's next-token distributions; null unless logits were given.</summary>
    public double? Entropy { get; init; }
}
