namespace Whetstone.Models.Lora;

/// <summary>
/// Settings of a LoRA adapter, in PEFT's vocabulary: rank <c>r</c>, <c>lora_alpha</c>, <c>lora_dropout</c> and the
/// projections to adapt by their Hugging Face short names. The update to a targeted W (out, in) is
/// <see cref="Scaling"/>·B·A with A (r, in) and B (out, r).
/// </summary>
public sealed record LoraConfig
{
    /// <summary>The seven projections of a Llama/Qwen block: attention and MLP ("all-linear" minus lm_head).</summary>
    public static readonly IReadOnlyList<string> AllProjections =
        ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    /// <summary>Rank r of A (r, in) and B (out, r). PEFT's default is 8.</summary>
    public int Rank { get; init; } = 8;

    /// <summary>lora_alpha; the update is scaled by alpha/r (or alpha/√r with <see cref="UseRsLora"/>).</summary>
    public float Alpha { get; init; } = 8;

    /// <summary>Dropout probability on the adapter's input in training mode (0 disables it).</summary>
    public float Dropout { get; init; }

    /// <summary>Short names of the projections to adapt, e.g. <c>["q_proj", "v_proj"]</c>.</summary>
    public IReadOnlyList<string> TargetModules { get; init; } = ["q_proj", "v_proj"];

    /// <summary>Rank-stabilised scaling alpha/√r (PEFT's <c>use_rslora</c>).</summary>
    public bool UseRsLora { get; init; }

    /// <summary>Seeds A's initialisation and the dropout masks.</summary>
    public ulong Seed { get; init; }

    /// <summary>Written to adapter_config.json as <c>base_model_name_or_path</c> (null is allowed, as in PEFT).</summary>
    public string? BaseModelNameOrPath { get; init; }

    /// <summary>The factor on B·A: alpha/r, or alpha/√r with <see cref="UseRsLora"/>.</summary>
    public float Scaling => UseRsLora ? Alpha / MathF.Sqrt(Rank) : Alpha / Rank;

    /// <summary>Throws a clear error for an unusable setting.</summary>
    public void Validate()
    {
        if (Rank <= 0) throw new ArgumentException($"LoraConfig.Rank must be positive, got {Rank}.");
        if (!float.IsFinite(Alpha)) throw new ArgumentException($"LoraConfig.Alpha must be finite, got {Alpha}.");
        if (!(Dropout >= 0f && Dropout < 1f)) throw new ArgumentException($"LoraConfig.Dropout must be in [0, 1), got {Dropout}.");
        if (TargetModules is null || TargetModules.Count == 0) throw new ArgumentException("LoraConfig.TargetModules is empty.");
        foreach (var m in TargetModules)
            if (!AllProjections.Contains(m))
                throw new ArgumentException(
                    $"LoraConfig.TargetModules: unknown module '{m}'; expected some of {string.Join(", ", AllProjections)}.");
    }
}
