using Whetstone.Models.Tokenization;
using Whetstone.Models.Tokenization.Training;

namespace Whetstone.Models.Tests.Tokenization;

public class BpeTrainerTests
{
    static readonly string[] Names = ["Tom", "Anna", "Lee", "Priya", "José", "王芳"];
    static readonly string[] Items = ["apples", "marbles", "books", "coins", "stickers"];

    /// <summary>Arithmetic word problems in a chat-with-tools shape, the kind of corpus tiny models train on.</summary>
    static IEnumerable<string> Corpus(int count, int seed)
    {
        var rng = new Random(seed);
        for (int k = 0; k < count; k++)
        {
            string name = Names[rng.Next(Names.Length)], item = Items[rng.Next(Items.Length)];
            int a = rng.Next(1, 500), b = rng.Next(1, 500);
            yield return $"<|im_start|>user\n{name} has {a} {item} and gets {b} more. How many {item} does {name} have?<|im_end|>\n" +
                $"<|im_start|>assistant\n<tool_call>\n{{\"name\": \"calculator\", \"arguments\": {{\"expr\": \"{a}+{b}\"}}}}\n</tool_call><|im_end|>\n" +
                $"<|im_start|>assistant\n{name} has {a + b} {item}.<|im_end|>";
        }
    }

    static readonly TrainedBpe Trained = new BpeTrainer(new BpeTrainerOptions { VocabSize = 300 }).Train(Corpus(2000, 1));

    [Fact]
    public void VocabularyHasBytesMergesAndAddedTokens()
    {
        Assert.Equal(300, Trained.VocabSize);
        Assert.Equal(300 - 256 - 7, Trained.Merges.Count);
        Assert.Equal("<|endoftext|>", Trained.AddedTokens[0].Content);
        Assert.True(Trained.AddedTokens[0].Special);
        Assert.False(Trained.AddedTokens.Single(t => t.Content == "<tool_call>").Special);
    }

    [Fact]
    public void FrequentWordsBecomeSingleTokensAndAddedTokensStayWhole()
    {
        // A budget larger than the corpus supports: training runs until no pair occurs twice.
        var full = new BpeTrainer(new BpeTrainerOptions { VocabSize = 5000 }).Train(Corpus(2000, 1));
        Assert.True(full.VocabSize < 5000);
        var tok = full.ToTokenizer();
        Assert.Single(tok.Encode("calculator"));
        Assert.Single(tok.Encode(" apples"));
        var ids = tok.Encode("<|im_start|>assistant\n<tool_call>");
        Assert.Equal(tok.TokenToId("<|im_start|>"), ids[0]);
        Assert.Equal(tok.TokenToId("<tool_call>"), ids[^1]);
    }

    [Theory]
    [InlineData("Tom has 12 apples.")]
    [InlineData("never seen: Ωmega 你好，世界 😀👩‍💻 \t\r\n  spaces   ")]
    [InlineData("e\u0301 (decomposed stays decomposed without NFC)")]
    [InlineData("")]
    public void DecodeOfEncodeIsTheText(string text)
    {
        var tok = Trained.ToTokenizer();
        Assert.Equal(text, tok.Decode(tok.Encode(text)));
    }

    [Fact]
    public void SavedFileLoadsBackWithTheSameIds()
    {
        string dir = Directory.CreateTempSubdirectory("whet-bpe-").FullName;
        try
        {
            string file = Trained.Save(dir);
            Assert.Equal(Path.Combine(dir, "tokenizer.json"), file);
            Assert.Single(Directory.GetFiles(dir)); // the temp file is gone
            var loaded = Tokenizer.Load(dir);
            var inMemory = Trained.ToTokenizer();
            foreach (var text in Corpus(50, 7))
                Assert.Equal(inMemory.Encode(text), loaded.Encode(text));
            Assert.Equal(300, loaded.VocabSize);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void TrainingIsDeterministic()
    {
        var again = new BpeTrainer(new BpeTrainerOptions { VocabSize = 300 }).Train(Corpus(2000, 1));
        Assert.Equal(Trained.ToJson(), again.ToJson());
    }

    [Fact]
    public void StopsWhenNoPairIsFrequentEnough()
    {
        var small = new BpeTrainer(new BpeTrainerOptions { VocabSize = 100_000, MinFrequency = 2 }).Train(["abab", "cd"]);
        Assert.Equal([("a", "b")], small.Merges); // "ab" occurs twice; after it, nothing repeats
    }

    [Fact]
    public void TooSmallVocabularyIsRejected() =>
        Assert.Throws<ArgumentException>(() => new BpeTrainer(new BpeTrainerOptions { VocabSize = 100 }).Train(["x"]));
}
