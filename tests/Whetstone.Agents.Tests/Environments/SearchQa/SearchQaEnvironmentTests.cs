using Whetstone.Agents.Environments;
using Whetstone.Agents.Environments.SearchQa;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Environments.SearchQa;

public class SearchQaEnvironmentTests
{
    private static readonly SearchQaEnvironmentFactory Factory = new();

    [Theory]
    [InlineData("The Eiffel Tower!", "eiffel tower", 1.0, 1.0)]
    [InlineData("Paris", "paris", 1.0, 1.0)]
    [InlineData("Paris France", "Paris", 0.0, 2.0 / 3)]
    [InlineData("London", "Paris", 0.0, 0.0)]
    public void Scoring_normalises_and_computes_f1(string prediction, string gold, double em, double f1)
    {
        Assert.Equal(em, AnswerScoring.ExactMatch(prediction, gold));
        Assert.Equal(f1, AnswerScoring.F1(prediction, gold), 6);
    }

    [Fact]
    public void Bm25_ranks_the_named_page_first_and_breaks_ties_by_order()
    {
        var index = new Bm25Index([
            new("Dunmore", "Dunmore is a city in Ostrelia."),
            new("Mara Velk", "Mara Velk was born in Dunmore in 1950."),
            new("Ostrelia", "Ostrelia is a country. Its capital is Tarsk."),
        ]);
        Assert.Equal("Mara Velk", index.Search("Mara Velk", 2)[0].Title);
        Assert.Equal("Dunmore", index.Search("dunmore", 2)[0].Title);
        Assert.Empty(index.Search("zzz", 2));
    }

    [Fact]
    public async Task Same_task_gives_identical_episode()
    {
        var task = Factory.Tasks(DataSplit.Test, 1, offset: 3)[0];
        Assert.Equal("search-qa/test/3", task.Id);
        Assert.Equal(await EpisodeLoop.ResetTextAsync(Factory, task), await EpisodeLoop.ResetTextAsync(Factory, task));
    }

    [Fact]
    public async Task Train_and_test_questions_never_overlap()
    {
        var train = new HashSet<string>();
        foreach (var t in Factory.Tasks(DataSplit.Train, 300))
            train.Add(await EpisodeLoop.ResetTextAsync(Factory, t));
        foreach (var t in Factory.Tasks(DataSplit.Test, 300))
            Assert.DoesNotContain(await EpisodeLoop.ResetTextAsync(Factory, t), train);
    }

    [Fact]
    public async Task Expert_answers_every_test_question_and_random_almost_none()
    {
        var tasks = Factory.Tasks(DataSplit.Test, 200);
        var expert = await EpisodeLoop.RunExpertAsync(Factory, tasks);
        Assert.All(expert, r => Assert.True(r.Success));
        Assert.Contains(expert, r => r.Metrics["hops"] == 3);
        var random = await EpisodeLoop.RunAsync(Factory, t => new RandomActionPolicy(t.Seed), tasks);
        Assert.True(random.Count(r => r.Success == true) <= 10, $"random solved {random.Count(r => r.Success == true)}");
    }

    [Fact]
    public async Task Each_expert_search_returns_the_page_it_asked_for()
    {
        foreach (var task in Factory.Tasks(DataSplit.Train, 50))
        {
            var env = Factory.Create();
            var result = await EpisodeLoop.RunAsync(env, Factory.CreateExpert(env), task);
            var searches = result.Messages.Where(m => m.Role == ChatRole.Assistant && m.ToolCalls[0].Name == "search").ToList();
            var outputs = result.Messages.Where(m => m.Role == ChatRole.Tool).ToList();
            for (int i = 0; i < searches.Count; i++)
            {
                var query = System.Text.Json.JsonDocument.Parse(searches[i].ToolCalls[0].ArgumentsJson).RootElement.GetProperty("query").GetString();
                Assert.StartsWith($"[{query}]", outputs[i].Content);
            }
        }
    }

    [Fact]
    public async Task F1_reward_option_gives_partial_credit()
    {
        var factory = new SearchQaEnvironmentFactory(new SearchQaOptions { RewardF1 = true });
        var env = factory.Create();
        var task = factory.Tasks(DataSplit.Train, 1)[0];
        await env.ResetAsync(task);
        var gold = ((SearchQaEnvironment)env).Question.Answer;
        var step = await env.StepAsync(AgentAction.Call(new ToolCall("c", "answer", System.Text.Json.JsonSerializer.Serialize(new { text = gold + " maybe" }))));
        Assert.True(step.Done);
        Assert.False(step.Success);
        Assert.InRange(step.Reward, 0.1, 0.99);
        Assert.Equal(0, step.Metrics["em"]);
    }

    [Fact]
    public async Task Text_without_a_tool_call_gets_a_hint_and_the_budget_ends_the_episode()
    {
        var env = Factory.Create();
        await env.ResetAsync(Factory.Tasks(DataSplit.Train, 1)[0]);
        EnvironmentStep step = new();
        for (int i = 0; i < Factory.Options.MaxTurns; i++)
        {
            step = await env.StepAsync(AgentAction.Say("I am not sure."));
            Assert.Equal(i == Factory.Options.MaxTurns - 1, step.Done);
        }
        Assert.Equal(0, step.Reward);
        Assert.False(step.Success);
        Assert.Contains(step.Observations, o => o.Content.Contains("Out of turns"));
    }
}
