using System.Text.Json.Nodes;
using Whetstone.Models.Configuration;

namespace Whetstone.Models.Tests.Configuration;

public sealed class ModelConfigTests
{
    // Abridged copies of the published config.json files (the fields Whetstone reads).
    private const string Qwen3Json = """
        {"architectures":["Qwen3ForCausalLM"],"attention_bias":false,"bos_token_id":151643,"eos_token_id":151645,
         "head_dim":128,"hidden_act":"silu","hidden_size":1024,"intermediate_size":3072,"max_position_embeddings":40960,
         "model_type":"qwen3","num_attention_heads":16,"num_hidden_layers":28,"num_key_value_heads":8,"rms_norm_eps":1e-06,
         "rope_scaling":null,"rope_theta":1000000,"tie_word_embeddings":true,"torch_dtype":"bfloat16","vocab_size":151936}
        """;

    private const string Qwen25Json = """
        {"architectures":["Qwen2ForCausalLM"],"bos_token_id":151643,"eos_token_id":151643,"hidden_act":"silu",
         "hidden_size":896,"intermediate_size":4864,"max_position_embeddings":32768,"model_type":"qwen2",
         "num_attention_heads":14,"num_hidden_layers":24,"num_key_value_heads":2,"rms_norm_eps":1e-06,
         "rope_theta":1000000.0,"tie_word_embeddings":true,"vocab_size":151936}
        """;

    private const string Llama32Json = """
        {"architectures":["LlamaForCausalLM"],"attention_bias":false,"bos_token_id":128000,"eos_token_id":[128001,128008,128009],
         "head_dim":64,"hidden_act":"silu","hidden_size":2048,"intermediate_size":8192,"max_position_embeddings":131072,
         "mlp_bias":false,"model_type":"llama","num_attention_heads":32,"num_hidden_layers":16,"num_key_value_heads":8,
         "rms_norm_eps":1e-05,"rope_scaling":{"factor":32.0,"high_freq_factor":4.0,"low_freq_factor":1.0,
         "original_max_position_embeddings":8192,"rope_type":"llama3"},"rope_theta":500000.0,"tie_word_embeddings":true,"vocab_size":128256}
        """;

    private static ModelConfig Parse(string json) => ModelConfigJson.Parse(JsonNode.Parse(json)!.AsObject(), "test.json");

    [Fact]
    public void Qwen3_config_matches_the_builder()
    {
        var expected = ModelShapes.Qwen3_0_6B();
        Assert.Equal(expected, Parse(Qwen3Json) with { EosTokenIds = expected.EosTokenIds });
        var c = Parse(Qwen3Json);
        Assert.True(c.QkNorm);
        Assert.False(c.AttentionBias);
        Assert.Equal(2, c.GroupSize);
        Assert.Equal([151645], c.EosTokenIds);
    }

    [Fact]
    public void Qwen2_config_has_qkv_bias_and_derived_head_dim()
    {
        var c = Parse(Qwen25Json);
        Assert.Equal(ModelFamily.Qwen2, c.Family);
        Assert.True(c.AttentionBias);
        Assert.False(c.OutputBias);
        Assert.Equal(64, c.HeadDim);
        Assert.Equal(7, c.GroupSize);
        Assert.Equal(ModelShapes.Qwen2_5_0_5B().ParameterCount(), c.ParameterCount());
    }

    [Fact]
    public void Llama3_config_reads_rope_scaling_and_eos_list()
    {
        var c = Parse(Llama32Json);
        Assert.Equal(new RopeScaling(32, 1, 4, 8192), c.RopeScaling);
        Assert.Equal([128001, 128008, 128009], c.EosTokenIds);
        Assert.Equal(500000, c.RopeTheta);
    }

    [Theory]
    [InlineData("Qwen2.5-0.5B", 494_032_768L)]
    [InlineData("Qwen3-0.6B", 596_049_920L)]
    [InlineData("SmolLM2-135M", 134_515_008L)]
    public void Parameter_counts_match_the_published_models(string name, long expected)
    {
        var config = name switch
        {
            "Qwen2.5-0.5B" => ModelShapes.Qwen2_5_0_5B(),
            "Qwen3-0.6B" => ModelShapes.Qwen3_0_6B(),
            _ => ModelShapes.SmolLM2_135M(),
        };
        Assert.Equal(expected, config.ParameterCount());
    }

    [Fact]
    public void Saved_config_reads_back_equal()
    {
        var dir = Directory.CreateTempSubdirectory("whet-cfg-").FullName;
        try
        {
            foreach (var config in new[] { ModelShapes.Tiny(), ModelShapes.Qwen2_5_0_5B(), ModelShapes.SmolLM2_135M(), Parse(Llama32Json) })
            {
                ModelConfigJson.Save(config, dir);
                var back = ModelConfigJson.Load(dir);
                Assert.Equal(config with { EosTokenIds = [] }, back with { EosTokenIds = [] });
                Assert.Equal(config.EosTokenIds, back.EosTokenIds);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("""{"architectures":["GPT2LMHeadModel"]}""", "architectures")]
    [InlineData("""{"architectures":["Qwen3ForCausalLM"],"hidden_size":"big"}""", "\"hidden_size\" must be an integer")]
    [InlineData("""{"architectures":["Qwen3ForCausalLM"],"hidden_size":64}""", "\"num_attention_heads\" is missing")]
    [InlineData("""{"architectures":["LlamaForCausalLM"],"vocab_size":10,"hidden_size":64,"intermediate_size":8,"num_hidden_layers":1,"num_attention_heads":4,"num_key_value_heads":3}""", "\"num_key_value_heads\" (3) must divide")]
    [InlineData("""{"architectures":["LlamaForCausalLM"],"rope_scaling":{"rope_type":"yarn","factor":4}}""", "rope_scaling.rope_type")]
    [InlineData("""{"architectures":["LlamaForCausalLM"],"hidden_act":"gelu"}""", "hidden_act")]
    public void Bad_configs_name_the_field(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => Parse(json));
        Assert.Contains("test.json", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
