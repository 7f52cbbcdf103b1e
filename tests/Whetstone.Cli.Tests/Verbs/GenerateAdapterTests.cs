using System.Text.Json;
using Whetstone.Cli.Tests.Infrastructure;
using Whetstone.Cli.Tests.Models;
using Whetstone.Models.Lora;
using Whetstone.Models.Transformer;

namespace Whetstone.Cli.Tests.Verbs;

[Collection(TinyCalcModelCollection.Name)]
public class GenerateAdapterTests(TinyCalcModel tiny)
{
    private static readonly string[] Prompt = ["--prompt", "<|im_start|>user\nFinn has", "--max-tokens", "8", "--temperature", "0", "--json"];

    /// <summary>Saves a rank-4 PEFT adapter on every projection of the tiny model, with B filled with <paramref name="b"/>.</summary>
    private string SaveAdapter(TempDirectory dir, float b)
    {
        using var model = TransformerModel.Load(tiny.Directory);
        using var lora = LoraModel.Attach(model, new LoraConfig { Rank = 4, Alpha = 8, TargetModules = LoraConfig.AllProjections });
        foreach (var p in lora.Parameters)
            if (p.Name.Contains("lora_B", StringComparison.Ordinal)) p.Value.AsSpan().Fill(b);
        string path = Path.Combine(dir.Path, $"adapter-{b}");
        lora.Save(path);
        return path;
    }

    private static int[] Ids(WhetResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        return json.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
    }

    [Fact]
    public async Task An_adapter_is_merged_at_load_a_zero_one_changes_nothing_and_a_trained_one_changes_the_text()
    {
        using var dir = new TempDirectory();
        var baseIds = Ids(await Whet.RunAsync(["generate", "--model", tiny.Directory, .. Prompt]));
        var zeroIds = Ids(await Whet.RunAsync(["generate", "--model", tiny.Directory, "--adapter", SaveAdapter(dir, 0f), .. Prompt]));
        var bigIds = Ids(await Whet.RunAsync(["generate", "--model", tiny.Directory, "--adapter", SaveAdapter(dir, 0.5f), .. Prompt]));

        Assert.Equal(baseIds, zeroIds);
        Assert.NotEqual(baseIds, bigIds);
    }

    [Fact]
    public async Task A_missing_adapter_directory_is_named()
    {
        var result = await Whet.RunAsync(["generate", "--model", tiny.Directory, "--adapter", "/nonexistent/adapter", .. Prompt]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("/nonexistent/adapter", result.Error);
    }
}
