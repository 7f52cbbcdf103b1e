using Whetstone.Models.Tokenization;

namespace Whetstone.Models.Tests.Tokenization;

public class TokenizerApiTests
{
    static Tokenizer Qwen => FixtureFiles.Tokenizer("qwen3");

    [Fact]
    public void QwenSizesAndSpecialTokensFromTokenizerConfig()
    {
        Assert.Equal(151669, Qwen.VocabSize);
        Assert.Equal("<|im_end|>", Qwen.EosToken);
        Assert.Equal(151645, Qwen.EosTokenId);
        Assert.Equal(151643, Qwen.PadTokenId);
        Assert.Null(Qwen.BosTokenId);
        Assert.True(Qwen.IsSpecial(151644));
        Assert.False(Qwen.IsSpecial(151657)); // <tool_call> is not special in Qwen3
    }

    [Fact]
    public void Llama31AddsBeginOfTextOnlyWhenAskedFor()
    {
        var llama = FixtureFiles.Tokenizer("llama3_1");
        Assert.Equal(128000, llama.BosTokenId);
        Assert.Equal(128009, llama.EosTokenId); // <|eot_id|>
        Assert.Equal([128000, 9906], llama.Encode("Hello"));
        Assert.Equal([9906], llama.Encode("Hello", addSpecialTokens: false));
    }

    [Fact]
    public void TokenAndIdLookups()
    {
        Assert.Equal(1879, Qwen.TokenToId("Ġworld"));
        Assert.Equal("Ġworld", Qwen.IdToToken(1879));
        Assert.Equal(151644, Qwen.TokenToId("<|im_start|>"));
        Assert.Null(Qwen.TokenToId("no such token"));
        Assert.Null(Qwen.IdToToken(-1));
        Assert.Null(Qwen.IdToToken(10_000_000));
    }

    [Fact]
    public void SpecialTokensCanBeTreatedAsPlainText()
    {
        Assert.Equal([151644], Qwen.Encode("<|im_start|>"));
        var plain = Qwen.Encode("<|im_start|>", parseSpecialTokens: false);
        Assert.DoesNotContain(151644, plain);
        Assert.Equal("<|im_start|>", Qwen.Decode(plain));
        // Non-special added tokens are still recognized.
        Assert.Equal([151657], Qwen.Encode("<tool_call>", parseSpecialTokens: false));
    }

    [Fact]
    public void DecodeSkipsOnlySpecialTokens()
    {
        var ids = Qwen.Encode("<|im_start|>assistant\n<tool_call>x</tool_call><|im_end|>");
        Assert.Equal("assistant\n<tool_call>x</tool_call>", Qwen.Decode(ids, skipSpecialTokens: true));
        Assert.Equal("<|im_start|>assistant\n<tool_call>x</tool_call><|im_end|>", Qwen.Decode(ids));
    }

    [Fact]
    public void DecodeRejectsUnknownIds() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Qwen.Decode([1, 999_999]));

    [Fact]
    public void LoneSurrogatesEncodeAsReplacementCharacter() =>
        Assert.Equal(Qwen.Encode("a\uFFFDb"), Qwen.Encode("a\uD800b"));

    [Fact]
    public void LongWordsUseTheHeapMergeAndStillRoundTrip()
    {
        string text = string.Concat(Enumerable.Repeat("abcdefghij", 500));
        Assert.Equal(text, Qwen.Decode(Qwen.Encode(text)));
    }

    [Fact]
    public void ConcurrentEncodingGivesTheSameIds()
    {
        var texts = FixtureFiles.Goldens("qwen3").ToList();
        Parallel.ForEach(Enumerable.Range(0, 4), _ =>
        {
            foreach (var c in texts) Assert.Equal(c.Ids, Qwen.Encode(c.Text, addSpecialTokens: false));
        });
    }
}
