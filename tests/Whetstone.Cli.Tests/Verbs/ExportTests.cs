using Whetstone.Cli.Tests.Infrastructure;
using Whetstone.Cli.Tests.Models;

namespace Whetstone.Cli.Tests.Verbs;

[Collection(TinyCalcModelCollection.Name)]
public class ExportTests(TinyCalcModel tiny)
{
    [Fact]
    public async Task Export_gguf_writes_a_file_with_the_gguf_magic()
    {
        using var dir = new TempDirectory();
        var path = dir.File("tiny.gguf");

        var result = await Whet.RunAsync("export", "gguf", "--model", tiny.Directory, "--out", path, "--dtype", "f32");

        Assert.True(result.ExitCode == 0, result.ToString());
        var bytes = File.ReadAllBytes(path);
        Assert.Equal("GGUF"u8.ToArray(), bytes[..4]);
        Assert.True(bytes.Length > 4 * 64 * 64, $"only {bytes.Length} bytes");
    }

    [Fact]
    public async Task Export_of_a_missing_model_names_it()
    {
        using var dir = new TempDirectory();

        var result = await Whet.RunAsync("export", "gguf", "--model", dir.File("no-model"), "--out", dir.File("x.gguf"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no-model", result.Error);
        Assert.False(File.Exists(dir.File("x.gguf")));
    }
}
