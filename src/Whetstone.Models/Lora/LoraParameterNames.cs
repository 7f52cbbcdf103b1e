namespace Whetstone.Models.Lora;

/// <summary>
/// PEFT's tensor names for a causal LM: the HF module name under <c>base_model.model.</c>, without the adapter
/// name, e.g. <c>base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight</c>.
/// </summary>
public static class LoraParameterNames
{
    /// <summary>The prefix PEFT's <c>PeftModelForCausalLM</c> puts before the HF module path.</summary>
    public const string Prefix = "base_model.model.";

    /// <summary>Name of lora_A (r, in) for module <paramref name="moduleName"/> (e.g. <c>model.layers.0.mlp.up_proj</c>).</summary>
    public static string A(string moduleName) => Prefix + moduleName + ".lora_A.weight";

    /// <summary>Name of lora_B (out, r) for module <paramref name="moduleName"/>.</summary>
    public static string B(string moduleName) => Prefix + moduleName + ".lora_B.weight";
}
