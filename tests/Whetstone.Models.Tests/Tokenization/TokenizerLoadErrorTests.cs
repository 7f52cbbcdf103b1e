using System.Text;
using Whetstone.Models.Tokenization;

namespace Whetstone.Models.Tests.Tokenization;

public class TokenizerLoadErrorTests
{
    static string Minimal(string model = """{"type":"BPE","vocab":{"a":0,"b":1,"ab":2},"merges":["a b"]}""",
        string pre = """{"type":"ByteLevel","add_prefix_space":false,"use_regex":true}""") =>
        $$"""{"added_tokens":[],"normalizer":null,"pre_tokenizer":{{pre}},"post_processor":null,"decoder":{"type":"ByteLevel"},"model":{{model}}}""";

    static Exception LoadError(string json)
    {
        string dir = Directory.CreateTempSubdirectory("whet-tok-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "tokenizer.json"), json);
            return Assert.ThrowsAny<Exception>(() => Tokenizer.Load(dir));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void MinimalFileLoads()
    {
        var tok = Tokenizer.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(Minimal())));
        Assert.Equal([2, 0], tok.Encode("aba"));
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Tokenizer.Load("/nonexistent/dir/tokenizer.json"));
        Assert.Contains("/nonexistent/dir/tokenizer.json", e.Message);
    }

    [Fact]
    public void InvalidJsonNamesTheFile()
    {
        var e = LoadError("{ not json");
        Assert.IsType<InvalidDataException>(e);
        Assert.Contains("tokenizer.json", e.Message);
    }

    [Theory]
    [InlineData("""{"type":"BPE","vocab":{"a":0},"merges":["a b c"]}""", "model.merges[0]")]
    [InlineData("""{"type":"BPE","vocab":{"a":0},"merges":["a x"]}""", "model.merges[0]")]
    [InlineData("""{"type":"BPE","vocab":{"a":"zero"},"merges":[]}""", "model.vocab[\"a\"]")]
    [InlineData("""{"type":"BPE","vocab":[1,2],"merges":[]}""", "model.vocab")]
    [InlineData("""{"type":"WordPiece","vocab":{"a":0}}""", "model.type")]
    [InlineData("""{"type":"BPE","merges":[]}""", "model.vocab")]
    public void MalformedModelNamesTheField(string model, string field)
    {
        var e = LoadError(Minimal(model: model));
        Assert.IsType<InvalidDataException>(e);
        Assert.Contains($"field '{field}'", e.Message);
    }

    [Theory]
    [InlineData("""{"type":"Metaspace"}""", "pre_tokenizer.type")]
    [InlineData("""{"type":"Split","pattern":{"Regex":"[a"},"behavior":"Isolated"}""", "pre_tokenizer.pattern.Regex")]
    [InlineData("""{"type":"Split","pattern":{"Regex":"a"},"behavior":"Sideways"}""", "pre_tokenizer.behavior")]
    [InlineData("""{"type":"Sequence","pretokenizers":[{"type":"ByteLevel"},{"type":"Digits"}]}""", "pre_tokenizer.pretokenizers[1]")]
    [InlineData("""{"type":"Split","pattern":{"Regex":"\\p{Han}+"},"behavior":"Isolated"}""", "pre_tokenizer.pattern.Regex")]
    public void MalformedPreTokenizerNamesTheField(string pre, string field)
    {
        var e = LoadError(Minimal(pre: pre));
        Assert.IsType<InvalidDataException>(e);
        Assert.Contains($"field '{field}'", e.Message);
    }
}
