using System.Text.Json.Nodes;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Environments.ToolApi;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Environments.ToolApi;

public class ToolApiEnvironmentTests
{
    private static readonly ToolApiEnvironmentFactory Factory = new();

    [Fact]
    public void There_are_at_least_twenty_tools_with_object_schemas()
    {
        var env = (ToolApiEnvironment)Factory.Create();
        Assert.True(env.ToolCount >= 20, $"{env.ToolCount} tools");
        var defs = ToolApiCatalog.Create().Definitions;
        Assert.All(defs, d => Assert.Equal("object", d.Parameters.GetProperty("type").GetString()));
        Assert.Equal(defs.Count, defs.Select(d => d.Name).Distinct().Count());
    }

    [Fact]
    public async Task Tasks_cover_every_tool()
    {
        var used = new HashSet<string>();
        foreach (var t in Factory.Tasks(DataSplit.Train, 600))
        {
            var env = (ToolApiEnvironment)Factory.Create();
            await env.ResetAsync(t);
            foreach (var c in env.Task.ExpectedCalls)
                used.Add(c.Name);
        }
        Assert.Equal(ToolApiCatalog.Create().Definitions.Select(d => d.Name).Order(), used.Order());
    }

    [Fact]
    public async Task Train_and_test_tasks_never_overlap_and_reset_is_reproducible()
    {
        var train = new HashSet<string>();
        foreach (var t in Factory.Tasks(DataSplit.Train, 400))
            train.Add(await EpisodeLoop.ResetTextAsync(Factory, t));
        foreach (var t in Factory.Tasks(DataSplit.Test, 200))
        {
            var text = await EpisodeLoop.ResetTextAsync(Factory, t);
            Assert.Equal(text, await EpisodeLoop.ResetTextAsync(Factory, t));
            Assert.DoesNotContain(text, train);
        }
    }

    [Fact]
    public async Task Expert_succeeds_on_every_test_task_and_random_fails()
    {
        var tasks = Factory.Tasks(DataSplit.Test, 200);
        var expert = await EpisodeLoop.RunExpertAsync(Factory, tasks);
        Assert.All(expert, r => Assert.True(r.Success, string.Join("\n", r.Messages.Select(m => $"{m.Role}: {m.Content} {string.Join(",", m.ToolCalls.Select(c => c.Name + c.ArgumentsJson))}"))));
        var random = await EpisodeLoop.RunAsync(Factory, t => new RandomActionPolicy(t.Seed), tasks);
        Assert.Equal(0, random.Count(r => r.Success == true));
    }

    [Fact]
    public void Matcher_compares_strings_loosely_numbers_to_the_cent_and_arrays_as_multisets()
    {
        var expected = new ExpectedCall("order_food", new JsonObject
        {
            ["restaurant"] = "Luigi's",
            ["items"] = new JsonArray("soup", "salad"),
            ["total"] = 12.5,
        });
        Assert.True(ExpectedCallMatcher.Matches(expected, new ToolCall("c", "order_food", """{"restaurant":" luigi's ","items":["salad","soup"],"total":12.504}""")));
        Assert.False(ExpectedCallMatcher.Matches(expected, new ToolCall("c", "order_food", """{"restaurant":"Luigi's","items":["salad"],"total":12.5}""")));
        Assert.False(ExpectedCallMatcher.Matches(expected, new ToolCall("c", "order_food", """{"restaurant":"Luigi's","items":["salad","soup"],"total":12.6}""")));
        Assert.False(ExpectedCallMatcher.Matches(expected, new ToolCall("c", "play_music", """{"restaurant":"Luigi's"}""")));
        Assert.False(ExpectedCallMatcher.Matches(expected, new ToolCall("c", "order_food", "not json")));
    }

    [Fact]
    public async Task Right_tool_with_wrong_arguments_scores_selection_but_not_success()
    {
        var env = (ToolApiEnvironment)Factory.Create();
        var task = Factory.Tasks(DataSplit.Train, 50).First();
        await env.ResetAsync(task);
        var expected = env.Task.ExpectedCalls[0];
        var wrong = expected.Arguments.DeepClone().AsObject();
        var key = wrong.First(p => p.Value is JsonValue).Key;
        var schema = ToolApiCatalog.Create().Definitions.First(d => d.Name == expected.Name).Parameters.GetProperty("properties").GetProperty(key);
        wrong[key] = schema.TryGetProperty("enum", out var values)
            ? values.EnumerateArray().Select(v => v.GetString()).First(v => !string.Equals(v, wrong[key]!.ToString(), StringComparison.OrdinalIgnoreCase))
            : wrong[key]!.GetValueKind() == System.Text.Json.JsonValueKind.Number ? (JsonNode)(wrong[key]!.GetValue<double>() + 3) : "something else";
        await env.StepAsync(AgentAction.Call(new ToolCall("c0", expected.Name, wrong.ToJsonString())));
        var end = await env.StepAsync(AgentAction.Say("Done."));
        Assert.True(end.Done);
        Assert.False(end.Success);
        Assert.True(end.Metrics["tool_selection"] > 0);
        Assert.True(end.Metrics["argument_accuracy"] < 1);
    }

    [Fact]
    public async Task Invalid_arguments_become_error_observations()
    {
        var env = Factory.Create();
        await env.ResetAsync(Factory.Tasks(DataSplit.Train, 1)[0]);
        var step = await env.StepAsync(AgentAction.Call(new ToolCall("c0", "get_weather", """{"city":"Atlantis","unit":"kelvin"}""")));
        var obs = Assert.Single(step.Observations);
        Assert.True(obs.IsError);
        Assert.Contains("city", obs.Content);
        Assert.False(step.Done);
    }

    [Fact]
    public async Task Offering_four_tools_keeps_the_tasks_own_and_refuses_the_rest()
    {
        var factory = new ToolApiEnvironmentFactory(new ToolApiOptions { ToolsOffered = 4 });
        var positions = new HashSet<int>();
        foreach (var task in factory.Tasks(DataSplit.Test, 60))
        {
            var env = (ToolApiEnvironment)factory.Create();
            var reset = await env.ResetAsync(task);
            var names = reset.Tools.Select(t => t.Name).ToList();
            Assert.Equal(4, names.Count);
            Assert.All(env.Task.ExpectedCalls, c => Assert.Contains(c.Name, names));
            positions.Add(names.IndexOf(env.Task.ExpectedCalls[0].Name));
            var again = await ((ToolApiEnvironment)factory.Create()).ResetAsync(task);
            Assert.Equal(names, again.Tools.Select(t => t.Name));

            var absent = ToolApiCatalog.Create().Definitions.Select(d => d.Name).First(n => !names.Contains(n));
            var step = await env.StepAsync(AgentAction.Call(new ToolCall("c0", absent, "{}")));
            var error = Assert.Single(step.Observations);
            Assert.True(error.IsError);
            Assert.Contains("unknown tool", error.Content);
        }
        Assert.True(positions.Count >= 3, $"the right tool sits at positions {string.Join(",", positions)} only");
        Assert.All(await EpisodeLoop.RunExpertAsync(factory, factory.Tasks(DataSplit.Test, 100)), r => Assert.True(r.Success));
    }
}
