using System.IO.Compression;
using System.Text.Json;
using Whetstone.Models.Gguf;
using Whetstone.Models.Tests.Tokenization;

namespace Whetstone.Models.Tests.Gguf;

public sealed class GgufVocabularyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("whet-gguf-vocab-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Qwen3_tokenizer_metadata_follows_convert_hf_to_gguf()
    {
        var fixture = FixtureFiles.Dir("qwen3");
        File.Copy(Path.Combine(fixture, "tokenizer.json"), Path.Combine(_dir, "tokenizer.json"));
        File.Copy(Path.Combine(fixture, "tokenizer_config.json"), Path.Combine(_dir, "tokenizer_config.json"));
        // Qwen3-0.6B's config.json gives bos_token_id, which tokenizer_config.json leaves null.
        File.WriteAllText(Path.Combine(_dir, "config.json"), """{"bos_token_id": 151643, "eos_token_id": 151645}""");

        var vocab = GgufVocabulary.Load(_dir, vocabSize: 151936);
        var tokenizer = FixtureFiles.Tokenizer("qwen3");

        Assert.Equal(151936, vocab.Tokens.Count);
        for (int id = 0; id < tokenizer.VocabSize; id++)
            Assert.Equal(tokenizer.IdToToken(id), vocab.Tokens[id]);
        Assert.Equal("[PAD151669]", vocab.Tokens[151669]);
        Assert.Equal(GgufTokenType.Unused, vocab.TokenTypes[151935]);
        Assert.Equal(GgufTokenType.Normal, vocab.TokenTypes[9707]);
        Assert.Equal(GgufTokenType.Control, vocab.TokenTypes[151645]);  // <|im_end|>: special
        Assert.Equal(GgufTokenType.Control, vocab.TokenTypes[151659]);  // <|fim_prefix|>: not special, but looks it
        Assert.Equal(GgufTokenType.UserDefined, vocab.TokenTypes[151657]); // <tool_call>
        Assert.Equal(GgufTokenType.UserDefined, vocab.TokenTypes[151667]); // <think>
        Assert.Equal(151387, vocab.Merges.Count);
        Assert.Equal("Ġ Ġ", vocab.Merges[0]);
        Assert.Equal("qwen2", vocab.Pre);
        Assert.Equal(151643, vocab.SpecialTokenIds["bos"]);
        Assert.Equal(151645, vocab.SpecialTokenIds["eos"]);
        Assert.Equal(151643, vocab.SpecialTokenIds["pad"]);
        Assert.False(vocab.SpecialTokenIds.ContainsKey("unk"));
        Assert.False(vocab.AddBosToken);
        Assert.False(vocab.AddEosToken);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture, "tokenizer_config.json")));
        Assert.Equal(config.RootElement.GetProperty("chat_template").GetString(), vocab.ChatTemplate);
        Assert.Contains(vocab.Warnings, w => w.Contains("NFC")); // llama.cpp does not normalize
    }

    [Theory]
    [InlineData("qwen3", "qwen2")]
    [InlineData("llama3", "llama-bpe")]
    [InlineData("smollm", "smollm")]
    [InlineData("gpt2", "gpt-2")]
    [InlineData("variants/split_invert", null)]
    public void Pre_tokenizer_is_recognised_from_tokenizer_json(string fixture, string? expected)
    {
        var dir = FixtureFiles.Dir(fixture);
        var gz = Path.Combine(dir, "tokenizer.json.gz");
        using Stream stream = File.Exists(gz)
            ? new GZipStream(File.OpenRead(gz), CompressionMode.Decompress)
            : File.OpenRead(Path.Combine(dir, "tokenizer.json"));
        using var doc = JsonDocument.Parse(stream);
        Assert.Equal(expected, TokenizerPreDetection.Detect(doc.RootElement.GetProperty("pre_tokenizer")));
    }

    [Fact]
    public void A_template_post_processor_sets_add_bos()
    {
        var dir = FixtureFiles.Dir("variants/template_bos_eos");
        File.Copy(Path.Combine(dir, "tokenizer.json"), Path.Combine(_dir, "tokenizer.json"));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "tokenizer.json")));
        var template = doc.RootElement.GetProperty("post_processor").GetProperty("processors").EnumerateArray()
            .Single(p => p.GetProperty("type").GetString() == "TemplateProcessing");
        var single = template.GetProperty("single");
        string first = single[0].GetProperty("SpecialToken").GetProperty("id").GetString()!;
        string last = single[single.GetArrayLength() - 1].GetProperty("SpecialToken").GetProperty("id").GetString()!;
        File.WriteAllText(Path.Combine(_dir, "tokenizer_config.json"),
            JsonSerializer.Serialize(new { bos_token = first, eos_token = last }));

        var vocab = GgufVocabulary.Load(_dir, vocabSize: 1000);
        Assert.True(vocab.AddBosToken);
        Assert.True(vocab.AddEosToken);
        Assert.Equal(vocab.Tokens[vocab.SpecialTokenIds["bos"]], first);
    }

    [Fact]
    public void LooksSpecial_matches_convert_hf_to_gguf()
    {
        Assert.True(GgufVocabulary.LooksSpecial("<|fim_prefix|>"));
        Assert.True(GgufVocabulary.LooksSpecial("<｜begin▁of▁sentence｜>"));
        Assert.True(GgufVocabulary.LooksSpecial("<unused12>"));
        Assert.True(GgufVocabulary.LooksSpecial("<pad>"));
        Assert.False(GgufVocabulary.LooksSpecial("<tool_call>"));
        Assert.False(GgufVocabulary.LooksSpecial("<|partial"));
    }
}
