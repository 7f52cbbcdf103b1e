using Whetstone.Models.Checkpoints;
using Whetstone.Models.Configuration;

namespace Whetstone.Models.Gguf;

/// <summary>
/// Exports a Hugging Face model directory (config.json, model.safetensors or shards, tokenizer.json,
/// tokenizer_config.json) of the Llama, Qwen2 or Qwen3 family to one GGUF file that llama.cpp and Ollama load,
/// following convert_hf_to_gguf: architecture <c>llama</c>/<c>qwen2</c>/<c>qwen3</c>, llama.cpp tensor names,
/// Llama's q/k rows permuted for GGML's RoPE, matrices in F16 or F32 with 1-D tensors in F32, no <c>output</c>
/// tensor when the embedding is tied (llama.cpp then reuses <c>token_embd</c>), Llama 3 RoPE scaling as a
/// <c>rope_freqs</c> tensor, and the tokenizer as byte-level BPE (<c>gpt2</c>) metadata with the chat template.
/// Tensors are read, converted and written one at a time.
/// <code>
/// var result = GgufExporter.Export("runs/sft/final", "model.gguf", new GgufExportOptions { DType = GgufTensorType.F16 });
/// </code>
/// </summary>
public static class GgufExporter
{
    /// <summary>The llama.cpp architecture name of <paramref name="family"/>.</summary>
    public static string ArchitectureName(ModelFamily family) => family switch
    {
        ModelFamily.Llama => "llama",
        ModelFamily.Qwen2 => "qwen2",
        ModelFamily.Qwen3 => "qwen3",
        _ => throw new NotSupportedException($"No GGUF architecture for model family {family}."),
    };

    /// <summary>
    /// Whether llama.cpp runs <paramref name="family"/> with GGML's interleaved RoPE, so that q/k rows need
    /// <see cref="LlamaRopePermutation"/>; Qwen2/Qwen3 use NEOX (rotate-half) RoPE, as HF does.
    /// </summary>
    public static bool NeedsRopePermutation(ModelFamily family) => family == ModelFamily.Llama;

    /// <summary>The required files that <paramref name="modelDirectory"/> lacks: config.json, the weights, tokenizer.json.</summary>
    public static IReadOnlyList<string> MissingFiles(string modelDirectory)
    {
        var missing = new List<string>();
        if (!File.Exists(Path.Combine(modelDirectory, ModelConfigJson.FileName)))
            missing.Add(ModelConfigJson.FileName);
        if (!File.Exists(Path.Combine(modelDirectory, Checkpoint.SingleFileName))
            && !File.Exists(Path.Combine(modelDirectory, Checkpoint.IndexFileName)))
            missing.Add($"{Checkpoint.SingleFileName} (or {Checkpoint.IndexFileName})");
        if (!File.Exists(Path.Combine(modelDirectory, "tokenizer.json")))
            missing.Add("tokenizer.json");
        return missing;
    }

    /// <summary>Writes the GGUF file for <paramref name="modelDirectory"/> to <paramref name="outputPath"/> (atomically).</summary>
    /// <exception cref="DirectoryNotFoundException">No such directory.</exception>
    /// <exception cref="FileNotFoundException">A required file is missing; the message names every missing one.</exception>
    /// <exception cref="InvalidDataException">A file is inconsistent (a tensor missing or misshapen, a token id too large…).</exception>
    public static GgufExportResult Export(string modelDirectory, string outputPath, GgufExportOptions? options = null)
    {
        options ??= new GgufExportOptions();
        if (options.DType is not (GgufTensorType.F32 or GgufTensorType.F16))
            throw new ArgumentException($"GGUF export writes F32 or F16, not {options.DType}.", nameof(options));
        if (!Directory.Exists(modelDirectory))
            throw new DirectoryNotFoundException($"Model directory not found: {modelDirectory}.");
        var missing = MissingFiles(modelDirectory);
        if (missing.Count > 0)
            throw new FileNotFoundException(
                $"{modelDirectory} is not a complete Hugging Face model directory: missing {string.Join(", ", missing)}.",
                Path.Combine(modelDirectory, missing[0]));

        var config = ModelConfigJson.Load(modelDirectory);
        if (config.RopeScaling is not null && config.Family != ModelFamily.Llama)
            throw new InvalidDataException($"{Path.Combine(modelDirectory, ModelConfigJson.FileName)}: field \"rope_scaling\": llama3 scaling is exported for Llama models only.");
        var vocab = GgufVocabulary.Load(modelDirectory, config.VocabSize, options.TokenizerPre);
        string arch = ArchitectureName(config.Family);
        var warnings = new List<string>(vocab.Warnings);

        using var checkpoint = Checkpoint.Open(modelDirectory);
        var writer = new GgufWriter(options.Alignment);
        string name = options.Name ?? new DirectoryInfo(Path.GetFullPath(modelDirectory)).Name;
        AddModelMetadata(writer, config, arch, name, options.DType);
        vocab.AddTo(writer);
        var used = AddTensors(writer, checkpoint, config, options.DType);

        foreach (var unused in checkpoint.Names.Where(n => !used.Contains(n)))
            warnings.Add(unused == "lm_head.weight" && config.TieWordEmbeddings
                ? "lm_head.weight left out: tie_word_embeddings is true, so llama.cpp uses token_embd for the output."
                : $"Checkpoint tensor '{unused}' has no GGUF counterpart and was left out.");

        long bytes = writer.Write(outputPath);
        return new GgufExportResult(Path.GetFullPath(outputPath), arch, options.DType, writer.Tensors.Count,
            writer.Tensors.Sum(t => t.ElementCount), bytes, vocab.Tokens.Count, vocab.Pre, warnings);
    }

    private static void AddModelMetadata(GgufWriter w, ModelConfig c, string arch, string name, GgufTensorType dtype)
    {
        w.Add(GgufKeys.Architecture, GgufValue.String(arch));
        w.Add(GgufKeys.Name, GgufValue.String(name));
        string A(string key) => GgufKeys.ForArch(arch, key);
        w.Add(A(GgufKeys.VocabSize), GgufValue.UInt32((uint)c.VocabSize));
        w.Add(A(GgufKeys.ContextLength), GgufValue.UInt32((uint)c.MaxPositionEmbeddings));
        w.Add(A(GgufKeys.EmbeddingLength), GgufValue.UInt32((uint)c.HiddenSize));
        w.Add(A(GgufKeys.BlockCount), GgufValue.UInt32((uint)c.NumLayers));
        w.Add(A(GgufKeys.FeedForwardLength), GgufValue.UInt32((uint)c.IntermediateSize));
        w.Add(A(GgufKeys.HeadCount), GgufValue.UInt32((uint)c.NumHeads));
        w.Add(A(GgufKeys.HeadCountKv), GgufValue.UInt32((uint)c.NumKeyValueHeads));
        w.Add(A(GgufKeys.RmsNormEpsilon), GgufValue.Float32(c.RmsNormEps));
        w.Add(A(GgufKeys.RopeFreqBase), GgufValue.Float32((float)c.RopeTheta));
        w.Add(A(GgufKeys.RopeDimensionCount), GgufValue.UInt32((uint)c.HeadDim));
        w.Add(A(GgufKeys.KeyLength), GgufValue.UInt32((uint)c.HeadDim));
        w.Add(A(GgufKeys.ValueLength), GgufValue.UInt32((uint)c.HeadDim));
        w.Add(GgufKeys.FileType, GgufValue.UInt32(dtype == GgufTensorType.F32 ? 0u : 1u));
        w.Add(GgufKeys.QuantizationVersion, GgufValue.UInt32(2));
    }

    /// <summary>Adds every tensor the model needs; returns the HF names consumed.</summary>
    private static HashSet<string> AddTensors(GgufWriter w, Checkpoint checkpoint, ModelConfig c, GgufTensorType dtype)
    {
        var used = new Dictionary<string, int[]>(StringComparer.Ordinal);
        bool permute = NeedsRopePermutation(c.Family);

        void Add(string hfName, int[] shape, int permuteHeads = 0)
        {
            var ggufName = GgufTensorNames.FromHf(hfName) ?? throw new InvalidOperationException($"No GGUF name for {hfName}.");
            // llama.cpp's kernels take norms and biases (all 1-D) in F32 only.
            var type = shape.Length == 1 ? GgufTensorType.F32 : dtype;
            w.AddTensor(ggufName, shape, type, () =>
            {
                var data = new float[shape.Aggregate(1L, (a, d) => a * d)];
                checkpoint.Read(hfName, shape, data);
                return permuteHeads > 0 ? LlamaRopePermutation.Permute(data, permuteHeads, shape.Length == 1 ? 1 : shape[1]) : data;
            });
            used.Add(hfName, shape);
        }

        if (c.RopeScaling is { } scaling)
        {
            var factors = Llama3RopeFactors.Compute(scaling, c.RopeTheta, c.HeadDim);
            w.AddTensor(GgufTensorNames.RopeFreqs, [factors.Length], GgufTensorType.F32, () => factors);
        }
        int d = c.HiddenSize, q = c.NumHeads * c.HeadDim, kv = c.NumKeyValueHeads * c.HeadDim;
        Add("model.embed_tokens.weight", [c.VocabSize, d]);
        for (int i = 0; i < c.NumLayers; i++)
        {
            string p = $"model.layers.{i}.";
            Add(p + "input_layernorm.weight", [d]);
            Add(p + "self_attn.q_proj.weight", [q, d], permute ? c.NumHeads : 0);
            Add(p + "self_attn.k_proj.weight", [kv, d], permute ? c.NumKeyValueHeads : 0);
            Add(p + "self_attn.v_proj.weight", [kv, d]);
            if (c.AttentionBias)
            {
                Add(p + "self_attn.q_proj.bias", [q], permute ? c.NumHeads : 0);
                Add(p + "self_attn.k_proj.bias", [kv], permute ? c.NumKeyValueHeads : 0);
                Add(p + "self_attn.v_proj.bias", [kv]);
            }
            Add(p + "self_attn.o_proj.weight", [d, q]);
            if (c.OutputBias)
                Add(p + "self_attn.o_proj.bias", [d]);
            if (c.QkNorm)
            {
                Add(p + "self_attn.q_norm.weight", [c.HeadDim]);
                Add(p + "self_attn.k_norm.weight", [c.HeadDim]);
            }
            Add(p + "post_attention_layernorm.weight", [d]);
            Add(p + "mlp.gate_proj.weight", [c.IntermediateSize, d]);
            Add(p + "mlp.up_proj.weight", [c.IntermediateSize, d]);
            Add(p + "mlp.down_proj.weight", [d, c.IntermediateSize]);
        }
        Add("model.norm.weight", [d]);
        if (!c.TieWordEmbeddings)
            Add("lm_head.weight", [c.VocabSize, d]);
        CheckPresent(checkpoint, used);
        return [.. used.Keys];
    }

    /// <summary>Fails before writing anything when a tensor is missing or misshapen, naming it.</summary>
    private static void CheckPresent(Checkpoint checkpoint, Dictionary<string, int[]> expected)
    {
        foreach (var (name, shape) in expected)
        {
            var entry = checkpoint.Entry(name); // a missing tensor throws, naming it and similar names
            if (!entry.Shape.AsSpan().SequenceEqual(shape))
                throw new InvalidDataException(
                    $"Tensor '{name}' in {checkpoint.Location}: expected shape {ShapeFormat.Format(shape)} from config.json, found {entry.ShapeText}.");
        }
    }
}
