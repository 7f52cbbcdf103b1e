using Whetstone.Models.Tokenization;

namespace Whetstone.Models.Tests.Tokenization;

public class StreamingDecoderTests
{
    [Theory]
    [InlineData("qwen3")]
    [InlineData("llama3")]
    public void StreamedPiecesConcatenateToTheFullDecode(string family)
    {
        var tok = FixtureFiles.Tokenizer(family);
        foreach (var c in FixtureFiles.Goldens(family))
        {
            var stream = tok.CreateStreamingDecoder();
            var pieces = c.Ids.Select(stream.Push).ToList();
            pieces.Add(stream.Flush());
            Assert.Equal(tok.Decode(c.Ids), string.Concat(pieces));
            // Valid text never shows a replacement character mid-stream: characters are never cut.
            if (!tok.Decode(c.Ids).Contains('\uFFFD')) Assert.DoesNotContain(pieces, p => p.Contains('\uFFFD'));
        }
    }

    [Fact]
    public void EmojiSplitOverTokensAppearsWhenComplete()
    {
        var tok = FixtureFiles.Tokenizer("qwen3");
        int[] ids = tok.Encode("a👩‍💻", addSpecialTokens: false); // the emoji takes several byte-level tokens
        Assert.True(ids.Length > 2);
        var stream = tok.CreateStreamingDecoder();
        var outputs = ids.Select(stream.Push).ToList();
        Assert.Equal("a", outputs[0]);
        Assert.Contains(outputs, o => o.Length == 0); // something was held back
        Assert.Equal("a👩‍💻", string.Concat(outputs) + stream.Flush());
        Assert.False(stream.HasPending);
    }

    [Fact]
    public void SkipsSpecialTokensWhenAsked()
    {
        var tok = FixtureFiles.Tokenizer("qwen3");
        var ids = tok.Encode("<|im_start|>hi<tool_call><|im_end|>");
        var stream = tok.CreateStreamingDecoder(skipSpecialTokens: true);
        Assert.Equal("hi<tool_call>", string.Concat(ids.Select(stream.Push)) + stream.Flush());
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0xE4, 0xBD }, 1)]          // 'a' + 2 of the 3 bytes of 你
    [InlineData(new byte[] { 0xF0, 0x9F, 0x98 }, 0)]          // 3 of the 4 bytes of 😀
    [InlineData(new byte[] { 0xF0, 0x9F, 0x98, 0x80 }, 4)]    // the whole 😀
    [InlineData(new byte[] { 0x61, 0xFF }, 2)]                // invalid byte: not held back
    [InlineData(new byte[] { 0xE0, 0x80 }, 2)]                // can never become valid (overlong)
    [InlineData(new byte[] { 0xC3 }, 0)]
    public void HoldsBackOnlyAnUnfinishedCharacter(byte[] bytes, int expected) =>
        Assert.Equal(expected, StreamingDecoder.CompletePrefixLength(bytes));
}
