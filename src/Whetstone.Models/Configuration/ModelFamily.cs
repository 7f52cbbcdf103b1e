namespace Whetstone.Models.Configuration;

/// <summary>The transformer families Whetstone runs. They differ in a few switches, listed on <see cref="ModelConfig"/>.</summary>
public enum ModelFamily
{
    /// <summary><c>LlamaForCausalLM</c> (Llama 2/3, SmolLM): optional attention bias, optional llama3 RoPE scaling.</summary>
    Llama,
    /// <summary><c>Qwen2ForCausalLM</c> (Qwen2, Qwen2.5): bias on the q, k and v projections.</summary>
    Qwen2,
    /// <summary><c>Qwen3ForCausalLM</c>: RMSNorm on each head's queries and keys, explicit head_dim.</summary>
    Qwen3,
}
