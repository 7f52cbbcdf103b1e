#:project ../../src/Whetstone.Models/Whetstone.Models.csproj
#:property PublishAot=false
// Writes a tiny random Hugging Face model directory for the llama.cpp cross-check:
//   dotnet run make-tiny-model.cs -- OUT_DIR (llama|qwen2|qwen3) TOKENIZER_DIR
// The weights are large enough (embedding ~U(-1.7, 1.7)) that logits are peaked, so greedy tokens do not hinge on
// float rounding, and every value is exactly representable in float16, so the F16 GGUF stores the same numbers.
using System.IO.Compression;
using Whetstone.Models.Checkpoints;
using Whetstone.Models.Configuration;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: make-tiny-model.cs OUT_DIR (llama|qwen2|qwen3) TOKENIZER_DIR");
    return 2;
}
string dir = args[0], tokenizerDir = args[2];
var family = args[1] switch
{
    "llama" => ModelFamily.Llama,
    "qwen2" => ModelFamily.Qwen2,
    "qwen3" => ModelFamily.Qwen3,
    var f => throw new ArgumentException($"unknown family {f}"),
};
Directory.CreateDirectory(dir);

// tokenizer.json (possibly gzipped in the fixtures) and tokenizer_config.json.
var gz = Path.Combine(tokenizerDir, "tokenizer.json.gz");
if (File.Exists(gz))
{
    using var input = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress);
    using var output = File.Create(Path.Combine(dir, "tokenizer.json"));
    input.CopyTo(output);
}
else
    File.Copy(Path.Combine(tokenizerDir, "tokenizer.json"), Path.Combine(dir, "tokenizer.json"), overwrite: true);
File.Copy(Path.Combine(tokenizerDir, "tokenizer_config.json"), Path.Combine(dir, "tokenizer_config.json"), overwrite: true);
int tokenizerSize = Whetstone.Models.Tokenization.Tokenizer.Load(dir).VocabSize;

var config = new ModelConfig
{
    Family = family,
    VocabSize = (tokenizerSize + 127) / 128 * 128, // padded like real checkpoints: the GGUF gets [PAD…] tokens
    HiddenSize = 64,
    IntermediateSize = 128,
    NumLayers = 2,
    NumHeads = 4,
    NumKeyValueHeads = 2,
    HeadDim = family == ModelFamily.Qwen3 ? 32 : 16,
    MaxPositionEmbeddings = 512,
    RmsNormEps = 1e-5f,
    RopeTheta = family == ModelFamily.Llama ? 500000 : 1000000,
    TieWordEmbeddings = family != ModelFamily.Llama,
    AttentionBias = family == ModelFamily.Qwen2,
    QkNorm = family == ModelFamily.Qwen3,
};
ModelConfigJson.Save(config, dir);

var random = new Random(1234);
var tensors = new List<NamedTensor>();
void Add(string name, float scale, params int[] shape)
{
    var data = new float[shape.Aggregate(1, (a, d) => a * d)];
    for (int i = 0; i < data.Length; i++)
    {
        float v = name.EndsWith("norm.weight") ? 1f + scale * (float)(random.NextDouble() * 2 - 1) : scale * (float)(random.NextDouble() * 2 - 1);
        data[i] = (float)(Half)v;
    }
    tensors.Add(new NamedTensor(name, shape, data));
}
int d = config.HiddenSize, q = config.NumHeads * config.HeadDim, kv = config.NumKeyValueHeads * config.HeadDim, ff = config.IntermediateSize;
float Fan(int n) => MathF.Sqrt(3f / n); // uniform with variance 1/n
Add("model.embed_tokens.weight", 1.7f, config.VocabSize, d);
for (int i = 0; i < config.NumLayers; i++)
{
    string p = $"model.layers.{i}.";
    Add(p + "input_layernorm.weight", 0.2f, d);
    Add(p + "self_attn.q_proj.weight", 2 * Fan(d), q, d);
    Add(p + "self_attn.k_proj.weight", 2 * Fan(d), kv, d);
    Add(p + "self_attn.v_proj.weight", 2 * Fan(d), kv, d);
    if (config.AttentionBias)
    {
        Add(p + "self_attn.q_proj.bias", 0.5f, q);
        Add(p + "self_attn.k_proj.bias", 0.5f, kv);
        Add(p + "self_attn.v_proj.bias", 0.5f, kv);
    }
    Add(p + "self_attn.o_proj.weight", 6 * Fan(q), d, q); // large block outputs: the next token depends on the context, not only on the last token
    if (config.QkNorm)
    {
        Add(p + "self_attn.q_norm.weight", 0.2f, config.HeadDim);
        Add(p + "self_attn.k_norm.weight", 0.2f, config.HeadDim);
    }
    Add(p + "post_attention_layernorm.weight", 0.2f, d);
    Add(p + "mlp.gate_proj.weight", Fan(d), ff, d);
    Add(p + "mlp.up_proj.weight", Fan(d), ff, d);
    Add(p + "mlp.down_proj.weight", 6 * Fan(ff), d, ff);
}
Add("model.norm.weight", 0.2f, d);
if (!config.TieWordEmbeddings)
    Add("lm_head.weight", 1.7f, config.VocabSize, d);
CheckpointWriter.Write(dir, tensors);
Console.WriteLine($"{dir}: {family}, vocab {config.VocabSize} (tokenizer {tokenizerSize}), {tensors.Count} tensors");
return 0;
