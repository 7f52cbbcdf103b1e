using Whetstone.Agents.Environments;
using Whetstone.Cli.Tests.Infrastructure;

namespace Whetstone.Cli.Tests.Verbs;

public class EnvsTests
{
    [Fact]
    public async Task Envs_lists_every_built_in_environment_with_its_tools()
    {
        var result = await Whet.RunAsync("envs");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("NAME", result.Output);
        foreach (var d in EnvironmentCatalog.All)
            Assert.Contains(d.Name, result.Output);
        Assert.Contains("calculator", result.Output);
    }

    [Fact]
    public async Task Envs_show_plays_the_expert_and_prints_the_transcript()
    {
        var result = await Whet.RunAsync("envs", "--show", "calc");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("# calc/test/0", result.Output);
        Assert.Contains("success True", result.Output);
    }

    [Fact]
    public async Task Envs_show_of_an_unknown_environment_says_so()
    {
        var result = await Whet.RunAsync("envs", "--show", "nosuchenv");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nosuchenv", result.Error);
    }
}
