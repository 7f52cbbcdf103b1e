using Whetstone.Cli.Tests.Infrastructure;
using Whetstone.Cli.Tests.Models;

namespace Whetstone.Cli.Tests.Verbs;

[Collection(TinyCalcModelCollection.Name)]
public class ChatTests(TinyCalcModel tiny)
{
    [Fact]
    public async Task Chat_with_an_environment_prints_each_tool_call_and_its_observation()
    {
        var result = await Whet.RunWithInputAsync("q\n", ["chat", "--model", tiny.Directory, "--env", "calc"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("== calc/test/0", result.Output);
        var calls = tiny.Episode.Steps.OfType<Whetstone.Agents.Trajectories.ActionStep>().SelectMany(a => a.Action.ToolCalls).ToList();
        Assert.Contains(calls, c => c.Name == "calculator");
        // Each of the expert's calls and the calculator's answer to it, in order, as the transcript shows them.
        int at = 0;
        foreach (var step in tiny.Episode.Steps.Skip(2))
        {
            string expected = step switch
            {
                Whetstone.Agents.Trajectories.ActionStep a => $"assistant → {a.Action.ToolCalls[0].Name}(",
                Whetstone.Agents.Trajectories.ObservationStep o => $"tool {o.Observation.Name}: {o.Observation.Content.Split('\n')[0]}",
                _ => "",
            };
            int found = result.Output.IndexOf(expected, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{expected}' not found after position {at} in:\n{result.Output}\n(final SFT loss {tiny.FinalLoss})");
            at = found + expected.Length;
        }
        Assert.Contains("== reward 1, success True", result.Output);
        Assert.EndsWith("Enter for the next task, q to quit: ", result.Output);
    }

    [Fact]
    public async Task Chat_with_an_environment_plays_the_next_task_on_enter_and_stops_at_end_of_input()
    {
        var result = await Whet.RunWithInputAsync("\n", ["chat", "--model", tiny.Directory, "--env", "calc", "--max-tokens", "48"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("== calc/test/0", result.Output);
        Assert.Contains("system: ", result.Output);
        // The second task is not memorised: however it goes, the episode ends with a line that says how, and the
        // chat carries on to the prompt (the end of input then quits) instead of dying with an exception.
        Assert.Matches(@"== calc/test/1[\s\S]*\n== (reward|the model cannot continue|stopped)[\s\S]*Enter for the next task, q to quit: $", result.Output);
    }

    [Fact]
    public async Task Plain_chat_answers_each_typed_line_until_an_empty_one()
    {
        var result = await Whet.RunWithInputAsync("What is 2+3?\nAnd 4*5?\n\n", ["chat", "--model", tiny.Directory, "--max-tokens", "24"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Type a message", result.Output);
        // Two user turns, each answered (text, a tool call or an explicit empty reply), then the third prompt ends it.
        Assert.Equal(3, result.Output.Split("you: ").Length - 1);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(result.Output, "you: (.*)\n?assistant").Count);
    }

    [Fact]
    public async Task Chat_with_a_missing_model_names_the_directory()
    {
        var result = await Whet.RunWithInputAsync("", ["chat", "--model", "/no/such/model"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/no/such/model", result.Error);
    }
}
