using System.Text.Json;
using Whetstone.Cli.Tests.Infrastructure;
using Whetstone.Models.Tokenization;

namespace Whetstone.Cli.Tests.Verbs;

public class TokenizeTests
{
    /// <summary>Trains a tokenizer with <c>whet tokenize train</c> on a small corpus and returns its directory.</summary>
    private static async Task<string> TrainAsync(TempDirectory dir)
    {
        var corpus = dir.File("corpus.jsonl");
        File.WriteAllLines(corpus, Enumerable.Range(0, 60).Select(i =>
            JsonSerializer.Serialize(new { text = $"<|im_start|>user\nWhat is {i} plus {i * 3}?<|im_end|>\n<|im_start|>assistant\nThe answer is {i * 4}.<|im_end|>\n" })));
        var result = await Whet.RunAsync("tokenize", "train", "--input", corpus, "--vocab-size", "320", "--out", dir.File("tok"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("wrote ", result.Output);
        return dir.File("tok");
    }

    /// <summary>tokenize train writes tokenizer.json only; the chat template comes from a tokenizer_config.json beside it.</summary>
    private static void WriteChatMlConfig(string tok) =>
        File.WriteAllText(Path.Combine(tok, "tokenizer_config.json"),
            Whetstone.Training.Data.ChatMlTokenizerConfig.Create(Tokenizer.Load(tok), modelMaxLength: 512).ToJsonString());

    [Fact]
    public async Task Tokenize_text_prints_the_ids_that_decode_back_to_it()
    {
        using var dir = new TempDirectory();
        var tok = await TrainAsync(dir);

        var result = await Whet.RunAsync("tokenize", "--tokenizer", tok, "--text", "The answer is 42.");

        Assert.True(result.ExitCode == 0, result.ToString());
        var ids = JsonSerializer.Deserialize<int[]>(result.Output)!;
        Assert.NotEmpty(ids);
        Assert.Equal("The answer is 42.", Tokenizer.Load(tok).Decode(ids));
    }

    [Fact]
    public async Task Tokenize_jsonl_writes_one_line_per_input_and_names_a_bad_line()
    {
        using var dir = new TempDirectory();
        var tok = await TrainAsync(dir);
        var input = dir.File("in.jsonl");
        File.WriteAllLines(input, ["{\"text\": \"one\"}", "{\"text\": \"two\"}"]);

        var good = await Whet.RunAsync("tokenize", "--tokenizer", tok, "--jsonl", input);
        File.AppendAllLines(input, ["{\"txt\": 3}"]);
        var bad = await Whet.RunAsync("tokenize", "--tokenizer", tok, "--jsonl", input);

        Assert.True(good.ExitCode == 0, good.ToString());
        var lines = good.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"ids\":[", lines[1]);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains($"{input}:3:", bad.Error);
    }

    [Fact]
    public async Task Template_renders_chatml_from_the_tokenizer_config()
    {
        using var dir = new TempDirectory();
        var tok = await TrainAsync(dir);
        WriteChatMlConfig(tok);
        var cases = dir.File("cases.jsonl");
        File.WriteAllLines(cases, ["{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"add_generation_prompt\": true}"]);

        var result = await Whet.RunAsync("template", "--tokenizer", tok, "--jsonl", cases);

        Assert.True(result.ExitCode == 0, result.ToString());
        var rendered = JsonDocument.Parse(result.Output).RootElement.GetProperty("rendered").GetString();
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", rendered);
    }

    [Fact]
    public async Task Template_check_reports_the_pass_count_and_a_mismatch()
    {
        using var dir = new TempDirectory();
        var tok = await TrainAsync(dir);
        WriteChatMlConfig(tok);
        var cases = dir.File("cases.jsonl");
        File.WriteAllLines(cases,
        [
            "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"rendered\": \"<|im_start|>user\\nHi<|im_end|>\\n\"}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"Yo\"}], \"rendered\": \"wrong\"}",
        ]);

        var result = await Whet.RunAsync("template", "--tokenizer", tok, "--jsonl", cases, "--check");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("1/2 cases render exactly", result.Output);
        Assert.Contains("cases.jsonl:2", result.Error);
    }
}
