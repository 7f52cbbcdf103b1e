using System.Text.Json;
using Whetstone.Cli.Tests.Infrastructure;
using Whetstone.Cli.Tests.Models;

namespace Whetstone.Cli.Tests.Verbs;

[Collection(TinyCalcModelCollection.Name)]
public class GenerateTests(TinyCalcModel tiny)
{
    [Fact]
    public async Task Generate_json_reports_ids_logprobs_and_the_decoded_text()
    {
        var result = await Whet.RunAsync("generate", "--model", tiny.Directory, "--prompt", "<|im_start|>user\nFinn has", "--max-tokens", "8",
            "--temperature", "0", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        int generated = root.GetProperty("ids").GetArrayLength();
        Assert.InRange(generated, 1, 8);
        Assert.Equal(generated, root.GetProperty("logprobs").GetArrayLength());
        Assert.All(root.GetProperty("logprobs").EnumerateArray(), p => Assert.True(p.GetDouble() <= 0));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task Greedy_generation_streams_the_same_text_twice()
    {
        string[] args = ["generate", "--model", tiny.Directory, "--prompt", "<|im_start|>assistant\n", "--max-tokens", "12", "--temperature", "0"];

        var first = await Whet.RunAsync(args);
        var second = await Whet.RunAsync(args);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.False(string.IsNullOrWhiteSpace(first.Output));
        Assert.Equal(first.Output, second.Output);
        Assert.Contains("tokens/s]", first.Error);
    }

    [Fact]
    public async Task Generate_needs_exactly_one_prompt()
    {
        var result = await Whet.RunAsync("generate", "--model", tiny.Directory);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("exactly one of --prompt or --prompt-ids", result.Error);
    }
}
