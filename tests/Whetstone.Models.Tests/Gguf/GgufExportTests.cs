using Whetstone.Models.Checkpoints;
using Whetstone.Models.Configuration;
using Whetstone.Models.Gguf;
using Whetstone.Models.Tokenization;

namespace Whetstone.Models.Tests.Gguf;

public sealed class GgufExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("whet-gguf-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (ModelConfig Config, Dictionary<string, NamedTensor> Weights, string Model) Make(ModelConfig config, string name = "model")
    {
        var dir = Path.Combine(_dir, name);
        var weights = TinyHfModel.Write(dir, config);
        return (config, weights.ToDictionary(w => w.Name), dir);
    }

    [Fact]
    public void Qwen3_F32_export_has_the_metadata_names_shapes_and_exact_values()
    {
        var (c, weights, dir) = Make(TinyHfModel.Config(ModelFamily.Qwen3));
        var path = Path.Combine(_dir, "qwen3-f32.gguf");
        var result = GgufExporter.Export(dir, path, new GgufExportOptions { DType = GgufTensorType.F32, Name = "tiny-qwen3" });

        using var f = GgufFile.Open(path);
        Assert.Equal("qwen3", result.Architecture);
        Assert.Equal(new FileInfo(path).Length, result.FileBytes);
        Assert.Equal("general.architecture", f.Keys[0]);
        var m = f.Metadata;
        Assert.Equal("qwen3", m["general.architecture"].AsString());
        Assert.Equal("tiny-qwen3", m["general.name"].AsString());
        Assert.Equal(0u, m["general.file_type"].As<uint>());
        Assert.Equal((uint)c.MaxPositionEmbeddings, m["qwen3.context_length"].As<uint>());
        Assert.Equal(32u, m["qwen3.embedding_length"].As<uint>());
        Assert.Equal(2u, m["qwen3.block_count"].As<uint>());
        Assert.Equal(48u, m["qwen3.feed_forward_length"].As<uint>());
        Assert.Equal(4u, m["qwen3.attention.head_count"].As<uint>());
        Assert.Equal(2u, m["qwen3.attention.head_count_kv"].As<uint>());
        Assert.Equal(16u, m["qwen3.attention.key_length"].As<uint>());
        Assert.Equal(16u, m["qwen3.attention.value_length"].As<uint>());
        Assert.Equal(1e-5f, m["qwen3.attention.layer_norm_rms_epsilon"].As<float>());
        Assert.Equal(10000f, m["qwen3.rope.freq_base"].As<float>());

        // Tied embeddings: no output tensor, llama.cpp reuses token_embd.
        Assert.False(f.Contains("output.weight"));
        Assert.Equal(2 + 2 * 11, f.Tensors.Count);
        Assert.Equal(result.TensorCount, f.Tensors.Count);
        foreach (var t in f.Tensors)
        {
            Assert.Equal(0ul, t.Offset % 32);
            Assert.Equal(GgufTensorType.F32, t.Type);
            var hf = weights[GgufTensorNames.ToHf(t.Name)!];
            Assert.Equal(hf.Shape, t.Shape);
            Assert.Equal(hf.Shape.Reverse().Select(d => (ulong)d), t.Dimensions); // GGML order: innermost first
            Assert.Equal(hf.Data.ToArray(), f.ReadFloat32(t.Name)); // Qwen3 uses NEOX RoPE: no permutation
        }
        Assert.Equal([32ul, 64ul], f.Tensor("blk.1.attn_q.weight").Dimensions); // HF (64, 32)
        Assert.Equal([16ul], f.Tensor("blk.0.attn_k_norm.weight").Dimensions);
    }

    [Fact]
    public void Llama_F16_export_permutes_q_and_k_keeps_1d_tensors_in_F32_and_writes_the_output()
    {
        var config = TinyHfModel.Config(ModelFamily.Llama, tied: false) with { AttentionBias = true, OutputBias = true };
        var (c, weights, dir) = Make(config);
        var path = Path.Combine(_dir, "llama-f16.gguf");
        var result = GgufExporter.Export(dir, path);

        using var f = GgufFile.Open(path);
        Assert.Equal("llama", f.Metadata["general.architecture"].AsString());
        Assert.Equal(1u, f.Metadata["general.file_type"].As<uint>());
        Assert.Equal(8u, f.Metadata["llama.rope.dimension_count"].As<uint>());
        Assert.True(f.Contains("output.weight"));
        Assert.Equal(GgufTensorType.F16, result.DType);
        foreach (var t in f.Tensors)
        {
            Assert.Equal(t.Dimensions.Length == 1 ? GgufTensorType.F32 : GgufTensorType.F16, t.Type);
            var hfName = GgufTensorNames.ToHf(t.Name)!;
            var expected = weights[hfName].Data.ToArray();
            int heads = hfName.Contains("q_proj") ? c.NumHeads : hfName.Contains("k_proj") ? c.NumKeyValueHeads : 0;
            if (heads > 0)
                expected = LlamaRopePermutation.Permute(expected, heads, t.Dimensions.Length == 1 ? 1 : (int)t.Dimensions[0]);
            var actual = f.ReadFloat32(t.Name);
            if (t.Type == GgufTensorType.F32)
                Assert.Equal(expected, actual);
            else
                for (int i = 0; i < expected.Length; i++)
                    Assert.Equal((float)(Half)expected[i], actual[i]); // nearest half, |error| ≤ 2^-11 relative
        }

        // The permutation is undone exactly by its inverse (F32 bias; F16 weights compare after rounding).
        var qBias = f.ReadFloat32("blk.0.attn_q.bias");
        Assert.Equal(weights["model.layers.0.self_attn.q_proj.bias"].Data.ToArray(), LlamaRopePermutation.Unpermute(qBias, c.NumHeads, 1));
        Assert.NotEqual(weights["model.layers.0.self_attn.q_proj.bias"].Data.ToArray(), qBias);
        var k = f.ReadFloat32("blk.1.attn_k.weight");
        var kHf = weights["model.layers.1.self_attn.k_proj.weight"].Data.ToArray().Select(v => (float)(Half)v);
        Assert.Equal(kHf, LlamaRopePermutation.Unpermute(k, c.NumKeyValueHeads, c.HiddenSize));
    }

    [Fact]
    public void Qwen2_export_has_biases_and_no_permutation()
    {
        var (c, weights, dir) = Make(TinyHfModel.Config(ModelFamily.Qwen2));
        var path = Path.Combine(_dir, "qwen2.gguf");
        GgufExporter.Export(dir, path, new GgufExportOptions { DType = GgufTensorType.F32 });
        using var f = GgufFile.Open(path);
        Assert.Equal("qwen2", f.Metadata["general.architecture"].AsString());
        Assert.Equal(weights["model.layers.1.self_attn.q_proj.weight"].Data.ToArray(), f.ReadFloat32("blk.1.attn_q.weight"));
        Assert.Equal(weights["model.layers.0.self_attn.k_proj.bias"].Data.ToArray(), f.ReadFloat32("blk.0.attn_k.bias"));
        Assert.Equal([c.NumKeyValueHeads * c.HeadDim], f.Tensor("blk.0.attn_v.bias").Shape);
        Assert.False(f.Contains("blk.0.attn_q_norm.weight"));
    }

    [Fact]
    public void Llama3_rope_scaling_becomes_a_rope_freqs_tensor()
    {
        var scaling = new RopeScaling(Factor: 8, LowFreqFactor: 1, HighFreqFactor: 4, OriginalMaxPositionEmbeddings: 512);
        var config = TinyHfModel.Config(ModelFamily.Llama) with { HeadDim = 8, RopeScaling = scaling, RopeTheta = 500000 };
        var (_, _, dir) = Make(config);
        var path = Path.Combine(_dir, "llama3.gguf");
        GgufExporter.Export(dir, path);
        using var f = GgufFile.Open(path);
        var t = f.Tensor("rope_freqs.weight");
        Assert.Equal(GgufTensorType.F32, t.Type);
        Assert.Equal([4], t.Shape);
        var factors = f.ReadFloat32("rope_freqs.weight");
        // Wavelengths 2π·500000^(i/4) = 6.3 (< 512/4: kept), 167 (between: interpolated), 4.4e3 and 1.2e5 (> 512/1: divided by 8).
        double wavelength = 2 * Math.PI / (1 / Math.Pow(500000, 0.25));
        double smooth = (512 / wavelength - 1) / (4 - 1);
        Assert.Equal(1f, factors[0]);
        Assert.Equal(1 / ((1 - smooth) / 8 + smooth), factors[1], 4);
        Assert.Equal(8f, factors[2]);
        Assert.Equal(8f, factors[3]);
    }

    [Fact]
    public void Token_list_is_the_tokenizer_vocabulary_in_id_order_padded_to_vocab_size()
    {
        var (c, _, dir) = Make(TinyHfModel.Config(ModelFamily.Qwen3, vocabSize: 320));
        var path = Path.Combine(_dir, "vocab.gguf");
        var result = GgufExporter.Export(dir, path, new GgufExportOptions { DType = GgufTensorType.F32 });
        var tokenizer = Tokenizer.Load(dir);

        using var f = GgufFile.Open(path);
        var tokens = f.Metadata["tokenizer.ggml.tokens"].As<string[]>();
        var types = f.Metadata["tokenizer.ggml.token_type"].As<int[]>();
        Assert.Equal(c.VocabSize, tokens.Length);
        Assert.Equal(c.VocabSize, types.Length);
        Assert.Equal(c.VocabSize, result.VocabularySize);
        for (int id = 0; id < tokenizer.VocabSize; id++)
            Assert.Equal(tokenizer.IdToToken(id), tokens[id]);
        for (int id = tokenizer.VocabSize; id < c.VocabSize; id++)
        {
            Assert.Equal($"[PAD{id}]", tokens[id]);
            Assert.Equal((int)GgufTokenType.Unused, types[id]);
        }
        Assert.Equal("gpt2", f.Metadata["tokenizer.ggml.model"].AsString());
        Assert.Equal("qwen2", f.Metadata["tokenizer.ggml.pre"].AsString());
        Assert.Equal("qwen2", result.TokenizerPre);
        Assert.Equal(TinyHfModel.Tokenizer.Merges.Select(m => m.Left + " " + m.Right), f.Metadata["tokenizer.ggml.merges"].As<string[]>());
        Assert.Equal((int)GgufTokenType.Control, types[tokenizer.TokenToId("<|im_end|>")!.Value]);
        Assert.Equal((int)GgufTokenType.UserDefined, types[tokenizer.TokenToId("<tool_call>")!.Value]);
        Assert.Equal((int)GgufTokenType.Normal, types[tokenizer.TokenToId("Ġ")!.Value]);
        Assert.Equal((uint)tokenizer.TokenToId("<|im_end|>")!.Value, f.Metadata["tokenizer.ggml.eos_token_id"].As<uint>());
        Assert.Equal((uint)tokenizer.TokenToId("<|endoftext|>")!.Value, f.Metadata["tokenizer.ggml.padding_token_id"].As<uint>());
        Assert.False(f.Metadata.ContainsKey("tokenizer.ggml.bos_token_id"));
        Assert.False(f.Metadata["tokenizer.ggml.add_bos_token"].As<bool>());
        Assert.Equal(TinyHfModel.ChatTemplate, f.Metadata["tokenizer.chat_template"].AsString());
    }

    [Fact]
    public void A_tied_checkpoint_that_still_holds_lm_head_gets_no_output_tensor_and_a_warning()
    {
        var config = TinyHfModel.Config(ModelFamily.Llama, tied: true);
        var dir = Path.Combine(_dir, "tied-with-head");
        TinyHfModel.Write(dir, config);
        var weights = TinyHfModel.Weights(config with { TieWordEmbeddings = false });
        CheckpointWriter.Write(dir, weights); // HF sometimes saves lm_head.weight even when it is tied
        var path = Path.Combine(_dir, "tied.gguf");
        var result = GgufExporter.Export(dir, path);
        using var f = GgufFile.Open(path);
        Assert.False(f.Contains("output.weight"));
        Assert.Contains(result.Warnings, w => w.Contains("lm_head.weight left out"));
    }

    [Fact]
    public void A_missing_directory_is_named()
    {
        var missing = Path.Combine(_dir, "nope");
        var e = Assert.Throws<DirectoryNotFoundException>(() => GgufExporter.Export(missing, Path.Combine(_dir, "x.gguf")));
        Assert.Contains(missing, e.Message);
    }

    [Fact]
    public void A_tokenizer_larger_than_the_embedding_is_refused()
    {
        var (_, _, dir) = Make(TinyHfModel.Config(ModelFamily.Qwen3, vocabSize: 100));
        var e = Assert.Throws<InvalidDataException>(() => GgufExporter.Export(dir, Path.Combine(_dir, "x.gguf")));
        Assert.Contains("vocab_size of 100", e.Message);
    }

    [Theory]
    [InlineData("config.json")]
    [InlineData("model.safetensors")]
    [InlineData("tokenizer.json")]
    public void A_missing_file_is_named(string file)
    {
        var (_, _, dir) = Make(TinyHfModel.Config(ModelFamily.Llama));
        File.Delete(Path.Combine(dir, file));
        var out_ = Path.Combine(_dir, "missing.gguf");
        var e = Assert.Throws<FileNotFoundException>(() => GgufExporter.Export(dir, out_));
        Assert.Contains(file, e.Message);
        Assert.False(File.Exists(out_));
    }

    [Fact]
    public void A_misshapen_tensor_is_named_before_anything_is_written()
    {
        var config = TinyHfModel.Config(ModelFamily.Llama);
        var (_, _, dir) = Make(config);
        ModelConfigJson.Save(config with { IntermediateSize = 64 }, dir);
        var out_ = Path.Combine(_dir, "bad.gguf");
        var e = Assert.Throws<InvalidDataException>(() => GgufExporter.Export(dir, out_));
        Assert.Contains("mlp.gate_proj.weight", e.Message);
        Assert.False(File.Exists(out_));
    }
}
