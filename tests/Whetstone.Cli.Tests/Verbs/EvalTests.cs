using System.Text.Json;
using Whetstone.Cli.Tests.Infrastructure;

namespace Whetstone.Cli.Tests.Verbs;

public class EvalTests
{
    [Fact]
    public async Task Eval_of_the_expert_prints_one_json_object_with_success_1()
    {
        var result = await Whet.RunAsync("eval", "--env", "calc", "--policy", "expert", "--episodes", "5", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);   // throws unless stdout is exactly one JSON value
        var root = json.RootElement;
        Assert.Equal("calc", root.GetProperty("env").GetString());
        Assert.Equal("test", root.GetProperty("split").GetString());
        Assert.Equal(5, root.GetProperty("episodes").GetInt32());
        Assert.Equal(1.0, root.GetProperty("success_rate").GetDouble());
        Assert.Equal(0, root.GetProperty("infra_errors").GetInt32());
    }

    [Fact]
    public async Task Eval_progress_goes_to_stderr_as_lines_with_the_success_so_far()
    {
        var result = await Whet.RunAsync("eval", "--env", "calc", "--policy", "expert", "--episodes", "4", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("episodes 4/4", result.Output);
        Assert.Contains("eval: episodes 4/4 (100.0%) | success 4/4 (100.0%)", result.Error);
        Assert.DoesNotContain('\r', result.Error);
    }

    [Fact]
    public async Task Eval_table_of_the_random_policy_reports_the_rate_and_interval()
    {
        var result = await Whet.RunAsync("eval", "--env", "calc", "--policy", "random", "--episodes", "6");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("random", result.Output);
        Assert.Contains("6", result.Output);
    }

    [Fact]
    public async Task Eval_with_a_bad_policy_names_the_option()
    {
        var result = await Whet.RunAsync("eval", "--env", "calc", "--policy", "genius", "--episodes", "2");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--policy: 'genius'", result.Error);
    }
}
