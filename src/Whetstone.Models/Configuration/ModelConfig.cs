namespace Whetstone.Models.Configuration;

/// <summary>
/// The shape of a decoder-only transformer, as a Hugging Face <c>config.json</c> describes it. Read one with
/// <see cref="ModelConfigJson.Load"/>, or start from a builder in <see cref="ModelShapes"/>.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>Which family's switches apply.</summary>
    public required ModelFamily Family { get; init; }

    /// <summary>Vocabulary size (rows of the embedding).</summary>
    public required int VocabSize { get; init; }

    /// <summary>Width of the residual stream.</summary>
    public required int HiddenSize { get; init; }

    /// <summary>Width of the SwiGLU MLP's hidden layer.</summary>
    public required int IntermediateSize { get; init; }

    /// <summary>Number of transformer blocks.</summary>
    public required int NumLayers { get; init; }

    /// <summary>Query heads.</summary>
    public required int NumHeads { get; init; }

    /// <summary>Key/value heads (grouped-query attention when fewer than <see cref="NumHeads"/>).</summary>
    public required int NumKeyValueHeads { get; init; }

    /// <summary>Per-head width; Qwen3 sets it explicitly, others use hidden_size / num_heads.</summary>
    public required int HeadDim { get; init; }

    /// <summary>Longest sequence the position encoding was trained for.</summary>
    public int MaxPositionEmbeddings { get; init; } = 2048;

    /// <summary>RMSNorm epsilon.</summary>
    public float RmsNormEps { get; init; } = 1e-6f;

    /// <summary>RoPE base frequency.</summary>
    public double RopeTheta { get; init; } = 10000;

    /// <summary>Llama 3 RoPE scaling, or null for none.</summary>
    public RopeScaling? RopeScaling { get; init; }

    /// <summary>Whether the output projection shares the embedding matrix.</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Bias on the q, k and v projections (always for Qwen2; <c>attention_bias</c> for Llama).</summary>
    public bool AttentionBias { get; init; }

    /// <summary>Bias on the attention output projection (Llama's <c>attention_bias</c> covers it too).</summary>
    public bool OutputBias { get; init; }

    /// <summary>Qwen3's RMSNorm on each head's queries and keys.</summary>
    public bool QkNorm { get; init; }

    /// <summary>Token that starts a sequence, if the model has one.</summary>
    public int? BosTokenId { get; init; }

    /// <summary>Tokens that end generation.</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary>Query heads that share one key/value head.</summary>
    public int GroupSize => NumHeads / NumKeyValueHeads;

    /// <summary>The HF <c>architectures[0]</c> for this family.</summary>
    public string Architecture => Family switch
    {
        ModelFamily.Llama => "LlamaForCausalLM",
        ModelFamily.Qwen2 => "Qwen2ForCausalLM",
        _ => "Qwen3ForCausalLM",
    };

    /// <summary>The HF <c>model_type</c> for this family.</summary>
    public string ModelType => Family switch
    {
        ModelFamily.Llama => "llama",
        ModelFamily.Qwen2 => "qwen2",
        _ => "qwen3",
    };

    /// <summary>Number of parameters, counting a tied embedding once.</summary>
    public long ParameterCount()
    {
        long q = (long)HiddenSize * NumHeads * HeadDim;
        long kv = 2L * HiddenSize * NumKeyValueHeads * HeadDim;
        long o = (long)NumHeads * HeadDim * HiddenSize;
        long bias = AttentionBias ? NumHeads * HeadDim + 2L * NumKeyValueHeads * HeadDim : 0;
        long outBias = OutputBias ? HiddenSize : 0;
        long qkNorm = QkNorm ? 2L * HeadDim : 0;
        long mlp = 3L * HiddenSize * IntermediateSize;
        long norms = 2L * HiddenSize;
        long perLayer = q + kv + o + bias + outBias + qkNorm + mlp + norms;
        long embed = (long)VocabSize * HiddenSize;
        return NumLayers * perLayer + embed + HiddenSize + (TieWordEmbeddings ? 0 : embed);
    }

    /// <summary>Checks that the numbers fit together; throws naming the first field that does not.</summary>
    /// <exception cref="InvalidDataException">A field is out of range or inconsistent.</exception>
    public void Validate(string source = "config")
    {
        void Positive(int value, string field)
        {
            if (value <= 0)
                throw new InvalidDataException($"{source}: field \"{field}\" must be positive, got {value}.");
        }
        Positive(VocabSize, "vocab_size");
        Positive(HiddenSize, "hidden_size");
        Positive(IntermediateSize, "intermediate_size");
        Positive(NumLayers, "num_hidden_layers");
        Positive(NumHeads, "num_attention_heads");
        Positive(NumKeyValueHeads, "num_key_value_heads");
        Positive(HeadDim, "head_dim");
        if (NumHeads % NumKeyValueHeads != 0)
            throw new InvalidDataException(
                $"{source}: field \"num_key_value_heads\" ({NumKeyValueHeads}) must divide num_attention_heads ({NumHeads}).");
        if (HeadDim % 2 != 0)
            throw new InvalidDataException($"{source}: field \"head_dim\" must be even for rotary embeddings, got {HeadDim}.");
        if (RmsNormEps <= 0)
            throw new InvalidDataException($"{source}: field \"rms_norm_eps\" must be positive, got {RmsNormEps}.");
        if (RopeTheta <= 0)
            throw new InvalidDataException($"{source}: field \"rope_theta\" must be positive, got {RopeTheta}.");
    }
}
