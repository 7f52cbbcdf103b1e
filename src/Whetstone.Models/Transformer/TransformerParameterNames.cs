using Whetstone.Models.Configuration;

namespace Whetstone.Models.Transformer;

/// <summary>The Hugging Face parameter names and shapes of a config, in checkpoint order.</summary>
internal static class TransformerParameterNames
{
    /// <summary>Every parameter: name, HF shape (Linear weights (out, in)) and kind.</summary>
    public static IEnumerable<(string Name, int[] Shape, ParameterKind Kind)> Enumerate(ModelConfig c)
    {
        int q = c.NumHeads * c.HeadDim, kv = c.NumKeyValueHeads * c.HeadDim;
        yield return ("model.embed_tokens.weight", [c.VocabSize, c.HiddenSize], ParameterKind.Matrix);
        for (int i = 0; i < c.NumLayers; i++)
        {
            string p = $"model.layers.{i}.";
            yield return (p + "self_attn.q_proj.weight", [q, c.HiddenSize], ParameterKind.Matrix);
            if (c.AttentionBias) yield return (p + "self_attn.q_proj.bias", [q], ParameterKind.Bias);
            yield return (p + "self_attn.k_proj.weight", [kv, c.HiddenSize], ParameterKind.Matrix);
            if (c.AttentionBias) yield return (p + "self_attn.k_proj.bias", [kv], ParameterKind.Bias);
            yield return (p + "self_attn.v_proj.weight", [kv, c.HiddenSize], ParameterKind.Matrix);
            if (c.AttentionBias) yield return (p + "self_attn.v_proj.bias", [kv], ParameterKind.Bias);
            yield return (p + "self_attn.o_proj.weight", [c.HiddenSize, q], ParameterKind.Matrix);
            if (c.OutputBias) yield return (p + "self_attn.o_proj.bias", [c.HiddenSize], ParameterKind.Bias);
            if (c.QkNorm)
            {
                yield return (p + "self_attn.q_norm.weight", [c.HeadDim], ParameterKind.Norm);
                yield return (p + "self_attn.k_norm.weight", [c.HeadDim], ParameterKind.Norm);
            }
            yield return (p + "mlp.gate_proj.weight", [c.IntermediateSize, c.HiddenSize], ParameterKind.Matrix);
            yield return (p + "mlp.up_proj.weight", [c.IntermediateSize, c.HiddenSize], ParameterKind.Matrix);
            yield return (p + "mlp.down_proj.weight", [c.HiddenSize, c.IntermediateSize], ParameterKind.Matrix);
            yield return (p + "input_layernorm.weight", [c.HiddenSize], ParameterKind.Norm);
            yield return (p + "post_attention_layernorm.weight", [c.HiddenSize], ParameterKind.Norm);
        }
        yield return ("model.norm.weight", [c.HiddenSize], ParameterKind.Norm);
        if (!c.TieWordEmbeddings)
            yield return ("lm_head.weight", [c.VocabSize, c.HiddenSize], ParameterKind.Matrix);
    }
}
