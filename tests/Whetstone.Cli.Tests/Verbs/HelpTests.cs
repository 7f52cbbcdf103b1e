using System.CommandLine;
using Whetstone.Cli.Tests.Infrastructure;

namespace Whetstone.Cli.Tests.Verbs;

public class HelpTests
{
    /// <summary>Every verb and sub-verb, as the words that name it on the command line ("train sft", "bench gemm").</summary>
    public static TheoryData<string> Verbs() => new(VerbPaths());

    private static List<string> VerbPaths()
    {
        var data = new List<string>();
        void Walk(Command command, string prefix)
        {
            foreach (var sub in command.Subcommands)
            {
                var path = prefix.Length == 0 ? sub.Name : $"{prefix} {sub.Name}";
                data.Add(path);
                Walk(sub, path);
            }
        }
        Walk(WhetRoot.Create(), "");
        return data;
    }

    [Fact]
    public void Every_verb_the_issue_names_exists()
    {
        var verbs = VerbPaths().ToHashSet();
        foreach (var name in new[] { "demo", "train sft", "train rft", "train dpo", "train grpo", "rollout", "eval", "chat", "serve", "convert", "export", "bench", "report", "envs" })
            Assert.Contains(name, verbs);
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Help_of_every_verb_exits_0_and_shows_an_example(string verb)
    {
        var result = await Whet.RunAsync([.. verb.Split(' '), "--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage:", result.Output);
        Assert.Contains($"whet {verb}", result.Output);
        // The example names the verb it belongs to, so a copied description from another verb would fail here.
        Assert.Matches($@"Example: whet {System.Text.RegularExpressions.Regex.Escape(verb)}\b", result.Output);
    }

    [Fact]
    public async Task Root_help_lists_every_verb()
    {
        var result = await Whet.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in WhetRoot.Create().Subcommands)
            Assert.Contains(command.Name, result.Output);
    }

    [Fact]
    public async Task An_unknown_option_is_an_error_that_names_it()
    {
        var result = await Whet.RunAsync("eval", "--env", "calc", "--episodez", "5");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Unrecognized command or argument '--episodez'", result.Error);
        Assert.Contains("Did you mean", result.Error + result.Output);   // and it suggests --episodes
    }

    [Fact]
    public async Task An_unknown_verb_is_an_error_that_names_it()
    {
        var result = await Whet.RunAsync("trian", "sft");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("trian", result.Error);
    }

    [Fact]
    public async Task A_missing_required_option_is_an_error_that_names_it()
    {
        var result = await Whet.RunAsync("rollout", "--env", "calc");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--out", result.Error);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_an_error_that_names_the_option()
    {
        var result = await Whet.RunAsync("eval", "--env", "calc", "--episodes", "many");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("many", result.Error);
        Assert.Contains("--episodes", result.Error);
    }
}
