using System.Text.Json;
using Whetstone.Cli.Tests.Infrastructure;
using Whetstone.Cli.Tests.Models;

namespace Whetstone.Cli.Tests.Verbs;

[Collection(TinyCalcModelCollection.Name)]
public class EvalLocalModelTests(TinyCalcModel tiny)
{
    [Fact]
    public async Task Eval_of_a_local_model_directory_plays_the_task_it_memorised()
    {
        // The fixture's model memorised the expert's episode on calc's first test task, so greedy decoding solves it.
        var result = await Whet.RunAsync("eval", "--env", "calc", "--policy", $"local:{tiny.Directory}", "--episodes", "1",
            "--temperature", "0", "--max-turns", "6", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(1, json.RootElement.GetProperty("episodes").GetInt32());
        Assert.Equal(1.0, json.RootElement.GetProperty("success_rate").GetDouble());
    }

    [Fact]
    public async Task A_local_policy_without_a_model_names_the_directory()
    {
        var result = await Whet.RunAsync("eval", "--env", "calc", "--policy", "local:/nonexistent/model", "--episodes", "1");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("/nonexistent/model", result.Error);
    }
}
