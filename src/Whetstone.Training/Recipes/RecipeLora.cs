namespace Whetstone.Training.Recipes;

/// <summary>The optional <c>lora:</c> section: low-rank adapters instead of every weight. Parsed and validated; the
/// runner refuses it until the trainers can train adapters (they update the model's own parameters).</summary>
public sealed record RecipeLora
{
    /// <summary>Adapter rank r.</summary>
    public int Rank { get; init; } = 8;

    /// <summary>Scale numerator: the update is (alpha / r)·B·A.</summary>
    public float Alpha { get; init; } = 16;

    /// <summary>Dropout on the adapter input.</summary>
    public float Dropout { get; init; }

    /// <summary>Projection names to adapt, e.g. q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj.</summary>
    public IReadOnlyList<string> Targets { get; init; } = ["q_proj", "v_proj"];
}
