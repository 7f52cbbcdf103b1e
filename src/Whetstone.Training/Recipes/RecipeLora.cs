using Whetstone.Models.Lora;

namespace Whetstone.Training.Recipes;

/// <summary>
/// The optional <c>lora:</c> section: train low-rank adapters on a frozen pretrained base (<c>model.path</c>) instead of
/// every weight. The run's <c>final/</c> then holds the PEFT adapter (adapter_config.json + adapter_model.safetensors);
/// with <see cref="Merge"/>, <c>final/merged/</c> also holds the full model with B·A folded in.
/// </summary>
public sealed record RecipeLora
{
    /// <summary>Adapter rank r.</summary>
    public int Rank { get; init; } = 8;

    /// <summary>Scale numerator: the update is (alpha / r)·B·A.</summary>
    public float Alpha { get; init; } = 16;

    /// <summary>Dropout on the adapter input.</summary>
    public float Dropout { get; init; }

    /// <summary>Projection names to adapt, e.g. q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, or
    /// <c>all-linear</c> for all seven (PEFT's shorthand).</summary>
    public IReadOnlyList<string> Targets { get; init; } = ["q_proj", "v_proj"];

    /// <summary>Rank-stabilised scaling alpha/√r (PEFT's <c>use_rslora</c>).</summary>
    public bool UseRslora { get; init; }

    /// <summary>Seeds A's initialisation and the dropout masks.</summary>
    public ulong Seed { get; init; }

    /// <summary>Also save the merged full model (PEFT's <c>merge_and_unload</c>) to <c>final/merged/</c>.</summary>
    public bool Merge { get; init; }

    /// <summary>The adapter settings, with <paramref name="baseModel"/> written as <c>base_model_name_or_path</c>.</summary>
    public LoraConfig ToConfig(string? baseModel) => new()
    {
        Rank = Rank, Alpha = Alpha, Dropout = Dropout, UseRsLora = UseRslora, Seed = Seed, BaseModelNameOrPath = baseModel,
        TargetModules = Targets is ["all-linear"] ? LoraConfig.AllProjections : Targets,
    };
}
