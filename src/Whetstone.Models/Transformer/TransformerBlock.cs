using Whetstone.Tensors;

namespace Whetstone.Models.Transformer;

/// <summary>
/// The parameters of one decoder block (<c>model.layers.{i}</c>): pre-norm grouped-query attention and a SwiGLU MLP.
/// The forward passes live in <see cref="TransformerModel"/> (tape) and <c>Generation.InferenceEngine</c> (KV cache).
/// </summary>
public sealed class TransformerBlock
{
    internal TransformerBlock(int index, LinearLayer q, LinearLayer k, LinearLayer v, LinearLayer o,
        Tensor? qNorm, Tensor? kNorm, LinearLayer gate, LinearLayer up, LinearLayer down, Tensor inputNorm, Tensor postAttentionNorm)
    {
        Index = index;
        QProj = q; KProj = k; VProj = v; OProj = o;
        QNorm = qNorm; KNorm = kNorm;
        GateProj = gate; UpProj = up; DownProj = down;
        InputNorm = inputNorm; PostAttentionNorm = postAttentionNorm;
    }

    /// <summary>Layer number i.</summary>
    public int Index { get; }

    /// <summary>self_attn.q_proj: (heads·head_dim, hidden).</summary>
    public LinearLayer QProj { get; }

    /// <summary>self_attn.k_proj: (kv_heads·head_dim, hidden).</summary>
    public LinearLayer KProj { get; }

    /// <summary>self_attn.v_proj: (kv_heads·head_dim, hidden).</summary>
    public LinearLayer VProj { get; }

    /// <summary>self_attn.o_proj: (hidden, heads·head_dim).</summary>
    public LinearLayer OProj { get; }

    /// <summary>Qwen3 self_attn.q_norm.weight: (head_dim), or null.</summary>
    public Tensor? QNorm { get; }

    /// <summary>Qwen3 self_attn.k_norm.weight: (head_dim), or null.</summary>
    public Tensor? KNorm { get; }

    /// <summary>mlp.gate_proj: (intermediate, hidden).</summary>
    public LinearLayer GateProj { get; }

    /// <summary>mlp.up_proj: (intermediate, hidden).</summary>
    public LinearLayer UpProj { get; }

    /// <summary>mlp.down_proj: (hidden, intermediate).</summary>
    public LinearLayer DownProj { get; }

    /// <summary>input_layernorm.weight: (hidden).</summary>
    public Tensor InputNorm { get; }

    /// <summary>post_attention_layernorm.weight: (hidden).</summary>
    public Tensor PostAttentionNorm { get; }

    /// <summary>The seven projections by their short HF names (q_proj … down_proj), where adapters attach.</summary>
    public IEnumerable<(string Name, LinearLayer Layer)> Projections()
    {
        yield return ("q_proj", QProj);
        yield return ("k_proj", KProj);
        yield return ("v_proj", VProj);
        yield return ("o_proj", OProj);
        yield return ("gate_proj", GateProj);
        yield return ("up_proj", UpProj);
        yield return ("down_proj", DownProj);
    }
}
