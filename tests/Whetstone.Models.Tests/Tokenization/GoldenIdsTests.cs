using System.Text.Json;

namespace Whetstone.Models.Tests.Tokenization;

/// <summary>
/// Every golden (text → ids) file of each fixture family must be reproduced exactly. The goldens come
/// from the reference Rust tokenizers library (Fixtures/README.md says how they were made).
/// </summary>
public class GoldenIdsTests
{
    /// <summary>The real tokenizers, then one hand-built tokenizer.json per supported pipeline variant.</summary>
    public static TheoryData<string> Families
    {
        get
        {
            var data = new TheoryData<string> { "qwen3", "gpt2", "llama3", "llama3_1", "smollm" };
            foreach (var dir in Directory.GetDirectories(FixtureFiles.Dir("variants")).OrderBy(d => d, StringComparer.Ordinal))
                data.Add("variants/" + Path.GetFileName(dir));
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void EveryGoldenCaseEncodesToTheReferenceIds(string family)
    {
        var tok = FixtureFiles.Tokenizer(family);
        var cases = FixtureFiles.Goldens(family).ToList();
        Assert.NotEmpty(cases);
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var actual = tok.Encode(c.Text, addSpecialTokens: false);
            if (!actual.SequenceEqual(c.Ids))
                failures.Add($"{c.File}:{c.Line} {JsonSerializer.Serialize(c.Text)}\n  expected [{string.Join(",", c.Ids)}]\n  actual   [{string.Join(",", actual)}]");
            if (c.IdsWithSpecialTokens is { } special && !tok.Encode(c.Text, addSpecialTokens: true).SequenceEqual(special))
                failures.Add($"{c.File}:{c.Line} with special tokens differs");
        }
        Assert.True(failures.Count == 0, $"{failures.Count}/{cases.Count} cases differ:\n" + string.Join("\n", failures.Take(10)));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void EveryGoldenCaseDecodesLikeTheReference(string family)
    {
        var tok = FixtureFiles.Tokenizer(family);
        foreach (var c in FixtureFiles.Goldens(family))
        {
            // Without a recorded decode the text itself is expected, NFC-normalized as Qwen's normalizer does.
            string expected = c.Decoded ?? Whetstone.Models.Tokenization.Normalization.UnicodeNormalizer.Normalize(c.Text, System.Text.NormalizationForm.FormC);
            Assert.True(expected == tok.Decode(c.Ids), $"{c.File}:{c.Line}");
        }
    }
}
