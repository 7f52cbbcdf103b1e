using Whetstone.Models.Configuration;
using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Models.Transformer;

/// <summary>
/// A Llama / Qwen2 / Qwen3 decoder-only transformer whose parameters live in a <see cref="ParameterSet"/> under
/// their Hugging Face names and shapes. <see cref="Forward"/> runs on a <see cref="Tape"/> (training, scoring);
/// <c>Generation.InferenceEngine</c> runs the same weights with a KV cache for generation.
/// </summary>
/// <remarks>
/// Create one with <see cref="Create"/> (random, seeded) or <see cref="Load"/> (HF directory); write it with
/// <see cref="Save"/>. Block: x += o_proj(attn(rope(qk_norm(q_proj(n₁(x)))), …)); x += down(silu(gate(n₂(x)))⊙up(n₂(x))).
/// </remarks>
public sealed partial class TransformerModel : IDisposable
{
    private readonly int[][] _positionCache = new int[64][];

    private TransformerModel(ModelConfig config, ParameterSet parameters)
    {
        config.Validate();
        Config = config;
        Parameters = parameters;
        Embedding = parameters["model.embed_tokens.weight"].Value;
        var blocks = new TransformerBlock[config.NumLayers];
        for (int i = 0; i < blocks.Length; i++)
        {
            string p = $"model.layers.{i}.";
            LinearLayer Lin(string module) => new(p + module, parameters[p + module + ".weight"].Value,
                parameters.TryGet(p + module + ".bias", out var b) ? b.Value : null);
            Tensor? Opt(string name) => parameters.TryGet(p + name, out var t) ? t.Value : null;
            blocks[i] = new TransformerBlock(i,
                Lin("self_attn.q_proj"), Lin("self_attn.k_proj"), Lin("self_attn.v_proj"), Lin("self_attn.o_proj"),
                Opt("self_attn.q_norm.weight"), Opt("self_attn.k_norm.weight"),
                Lin("mlp.gate_proj"), Lin("mlp.up_proj"), Lin("mlp.down_proj"),
                parameters[p + "input_layernorm.weight"].Value, parameters[p + "post_attention_layernorm.weight"].Value);
        }
        Blocks = blocks;
        FinalNorm = parameters["model.norm.weight"].Value;
        LmHead = new LinearLayer("lm_head",
            config.TieWordEmbeddings ? Embedding : parameters["lm_head.weight"].Value, null);
        (RopeCos, RopeSin) = RotaryTables.Build(config, config.MaxPositionEmbeddings);
    }

    /// <summary>The shape this model was built from.</summary>
    public ModelConfig Config { get; }

    /// <summary>Every trainable tensor under its HF name, in checkpoint order.</summary>
    public ParameterSet Parameters { get; }

    /// <summary>model.embed_tokens.weight: (vocab, hidden).</summary>
    public Tensor Embedding { get; }

    /// <summary>The decoder blocks, layer 0 first.</summary>
    public IReadOnlyList<TransformerBlock> Blocks { get; }

    /// <summary>model.norm.weight: (hidden).</summary>
    public Tensor FinalNorm { get; }

    /// <summary>lm_head: (vocab, hidden); its weight is <see cref="Embedding"/> when embeddings are tied.</summary>
    public LinearLayer LmHead { get; }

    /// <summary>RoPE cos table: (max_position_embeddings, head_dim/2).</summary>
    public Tensor RopeCos { get; }

    /// <summary>RoPE sin table: (max_position_embeddings, head_dim/2).</summary>
    public Tensor RopeSin { get; }

    /// <summary>
    /// A model with Hugging Face's initialisation: projections and embeddings ~ N(0, <paramref name="std"/>),
    /// biases 0, norm weights 1. Same seed, same weights.
    /// </summary>
    /// <param name="config">The shape; validated.</param>
    /// <param name="seed">Seed of the weight stream.</param>
    /// <param name="std">HF <c>initializer_range</c>.</param>
    public static TransformerModel Create(ModelConfig config, ulong seed = 0, float std = 0.02f)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var rng = new Rng(seed);
        var ps = new ParameterSet();
        foreach (var (name, shape, kind) in TransformerParameterNames.Enumerate(config))
        {
            var t = kind switch
            {
                ParameterKind.Matrix => Tensor.RandomNormal(Shape.Of(shape), rng, std),
                ParameterKind.Bias => Tensor.Zeros(Shape.Of(shape)),
                _ => Tensor.Full(Shape.Of(shape), 1f),
            };
            ps.Add(name, t, applyWeightDecay: kind == ParameterKind.Matrix);
        }
        return new TransformerModel(config, ps);
    }

    /// <summary>Wraps parameters already filled in (used by the loader); names and shapes are trusted.</summary>
    internal static TransformerModel FromParameters(ModelConfig config, ParameterSet parameters) => new(config, parameters);

    /// <summary>
    /// Logits of every position through the tape: ids (B, T) → (B, T, V). Backward gives every parameter's gradient.
    /// </summary>
    /// <remarks>
    /// Padding convention: sequences of different lengths are RIGHT-padded to T with any valid id (e.g. 0). The
    /// attention is causal, so a real token never sees the padding after it, and its logits equal those of the
    /// unpadded sequence; give the padded positions loss weight 0 (see <see cref="CausalLmLoss"/>).
    /// </remarks>
    /// <param name="tape">Records the forward pass (use <c>tape.NoGrad()</c> for scoring only).</param>
    /// <param name="ids">Token ids, (B·T) row-major; must stay unchanged until backward has run.</param>
    /// <param name="batch">B.</param>
    /// <param name="length">T.</param>
    /// <param name="positions">Absolute positions: length T (shared), B·T (per token), or null for 0..T−1.</param>
    /// <returns>Logits (B, T, V), owned by the tape.</returns>
    public Tensor Forward(Tape tape, ReadOnlyMemory<int> ids, int batch, int length, ReadOnlyMemory<int>? positions = null)
    {
        var h = ForwardHidden(tape, ids, batch, length, positions);
        return LmHead.Forward(tape, h);
    }

    /// <summary>The final-normed hidden states (B, T, hidden), before lm_head; arguments as <see cref="Forward"/>.</summary>
    public Tensor ForwardHidden(Tape tape, ReadOnlyMemory<int> ids, int batch, int length, ReadOnlyMemory<int>? positions = null)
    {
        ArgumentNullException.ThrowIfNull(tape);
        if (batch <= 0 || length <= 0 || ids.Length != batch * length)
            throw new ArgumentException($"Forward: {ids.Length} ids do not form (B={batch}, T={length}).");
        var pos = positions ?? DefaultPositions(length);
        if (pos.Length != length && pos.Length != batch * length)
            throw new ArgumentException($"Forward: {pos.Length} positions fit neither T = {length} nor B·T = {batch * length}.");
        var c = Config;
        var x = tape.Embedding(Embedding, ids, new Shape(batch, length, c.HiddenSize));
        float scale = 1f / MathF.Sqrt(c.HeadDim);
        foreach (var block in Blocks)
        {
            var n1 = tape.RmsNorm(x, block.InputNorm, c.RmsNormEps);
            var q = tape.Reshape(block.QProj.Forward(tape, n1), new Shape(batch, length, c.NumHeads, c.HeadDim));
            var k = tape.Reshape(block.KProj.Forward(tape, n1), new Shape(batch, length, c.NumKeyValueHeads, c.HeadDim));
            var v = tape.Reshape(block.VProj.Forward(tape, n1), new Shape(batch, length, c.NumKeyValueHeads, c.HeadDim));
            if (block.QNorm is not null) q = tape.RmsNorm(q, block.QNorm, c.RmsNormEps);
            if (block.KNorm is not null) k = tape.RmsNorm(k, block.KNorm, c.RmsNormEps);
            q = tape.Rope(q, pos, RopeCos, RopeSin);                               // (B, T, H, D)
            k = tape.Rope(k, pos, RopeCos, RopeSin);                               // (B, T, H_kv, D)
            // Fused: heads read in place, k/v not repeated, no (B, H, T, T) scores or probabilities kept for backward.
            var attn = tape.CausalAttention(q, k, v, scale);                       // (B, T, H, D)
            attn = tape.Reshape(attn, new Shape(batch, length, c.NumHeads * c.HeadDim));
            x = block.OProj.ForwardAdd(tape, attn, x);                             // x + o_proj(attn), one buffer
            var n2 = tape.RmsNorm(x, block.PostAttentionNorm, c.RmsNormEps);
            var mlp = tape.SwiGlu(block.GateProj.Forward(tape, n2), block.UpProj.Forward(tape, n2));
            x = block.DownProj.ForwardAdd(tape, mlp, x);
        }
        return tape.RmsNorm(x, FinalNorm, c.RmsNormEps);
    }

    private int[] DefaultPositions(int length)
    {
        if (length < _positionCache.Length)
            return _positionCache[length] ??= Enumerable.Range(0, length).ToArray();
        return Enumerable.Range(0, length).ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var p in Parameters)
            p.Value.Dispose();
        RopeCos.Dispose();
        RopeSin.Dispose();
    }
}
