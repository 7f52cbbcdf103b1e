using Whetstone.Agents.Environments;
using Whetstone.Agents.Environments.Calc;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;
using Xunit.Abstractions;

namespace Whetstone.Agents.Tests.Environments;

public class CalcEnvironmentTests(ITestOutputHelper output)
{
    private static readonly CalcEnvironmentFactory Factory = new();

    [Theory]
    [InlineData("2+3*4", "14")]
    [InlineData("(2+3)*4", "20")]
    [InlineData("-3 - -4", "1")]
    [InlineData("2^3^2", "512")]
    [InlineData("-2^2", "-4")]
    [InlineData("7/2", "3.5")]
    [InlineData("17 % 5", "2")]
    [InlineData("1,000 + 0.50", "1000.5")]
    [InlineData("2^-1", "0.5")]
    public void CalculatorEvaluatesArithmetic(string expression, string expected)
    {
        Assert.True(Calculator.TryEvaluate(expression, out var value, out var error), error);
        Assert.Equal(expected, Calculator.Format(value));
    }

    [Theory]
    [InlineData("1/0", "division by zero")]
    [InlineData("5 % 0", "division by zero")]
    [InlineData("2 +", "expression ends too early")]
    [InlineData("(1+2", "missing closing parenthesis")]
    [InlineData("1+x", "unexpected \"x\" at position 3")]
    [InlineData("import os", "unexpected \"i\" at position 1")]
    [InlineData("", "empty expression")]
    [InlineData("10^1000", "too large")]
    [InlineData("2^0.5", "whole numbers")]
    [InlineData("1.2.3", "not a number")]
    public void CalculatorReportsErrorsInsteadOfThrowing(string expression, string expected)
    {
        Assert.False(Calculator.TryEvaluate(expression, out _, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void CalculatorSurvivesDeepNesting()
    {
        Assert.False(Calculator.TryEvaluate(new string('(', 200) + "1" + new string(')', 200), out _, out var error));
        Assert.Contains("nested too deeply", error);
        Assert.False(Calculator.TryEvaluate(new string('-', 400) + "1", out _, out _));
    }

    [Fact]
    public async Task SameTaskGivesIdenticalObservations()
    {
        var task = Factory.Tasks(DataSplit.Test, 1, offset: 5)[0];
        Assert.Equal("calc/test/5", task.Id);
        Assert.Equal(await EpisodeLoop.ResetTextAsync(Factory, task), await EpisodeLoop.ResetTextAsync(Factory, task));
        var expert = await EpisodeLoop.RunExpertAsync(Factory, [task, task]);
        Assert.Equal(Transcript.Render(expert[0].Messages), Transcript.Render(expert[1].Messages));
    }

    [Theory]
    [InlineData(CalcDifficulty.Easy)]
    [InlineData(CalcDifficulty.Hard)]
    public async Task TrainAndTestProblemsNeverOverlap(CalcDifficulty difficulty)
    {
        var factory = new CalcEnvironmentFactory(new CalcOptions { Difficulty = difficulty });
        var train = new HashSet<string>();
        foreach (var task in factory.Tasks(DataSplit.Train, 2000))
            train.Add(await EpisodeLoop.ResetTextAsync(factory, task));
        foreach (var task in factory.Tasks(DataSplit.Test, 500))
            Assert.DoesNotContain(await EpisodeLoop.ResetTextAsync(factory, task), train);
        Assert.True(train.Count > 1500, $"only {train.Count} distinct train problems");
        Assert.Empty(factory.Tasks(DataSplit.Train, 100).Select(t => t.Seed).Intersect(factory.Tasks(DataSplit.Test, 100).Select(t => t.Seed)));
    }

    [Theory]
    [InlineData(CalcDifficulty.Easy)]
    [InlineData(CalcDifficulty.Medium)]
    [InlineData(CalcDifficulty.Hard)]
    public async Task ExpertSolvesTestProblemsAndRandomDoesNot(CalcDifficulty difficulty)
    {
        var factory = new CalcEnvironmentFactory(new CalcOptions { Difficulty = difficulty });
        var tasks = factory.Tasks(DataSplit.Test, 200);
        var expert = await EpisodeLoop.RunExpertAsync(factory, tasks);
        var random = await EpisodeLoop.RunAsync(factory, t => new RandomActionPolicy(t.Seed), tasks);

        output.WriteLine($"{difficulty}: expert {expert.Average(r => r.Reward):P1} (turns {expert.Average(r => r.Turns):F1}), random {random.Average(r => r.Reward):P1}");
        Assert.True(expert.Count(r => r.Success == true) >= 198, $"expert solved {expert.Count(r => r.Success == true)}/200");
        Assert.All(expert, r => Assert.Equal(0, r.Metrics["invalid_tool_calls"]));
        Assert.True(random.Average(r => r.Reward) < 0.1, $"random reward {random.Average(r => r.Reward)}");
    }

    [Fact]
    public async Task ProblemsUseTwoToFourOperationsWithIntegerSteps()
    {
        foreach (var difficulty in Enum.GetValues<CalcDifficulty>())
        {
            var environment = new CalcEnvironment(new CalcOptions { Difficulty = difficulty });
            foreach (var task in Factory.Tasks(DataSplit.Train, 100))
            {
                await environment.ResetAsync(task);
                Assert.InRange(environment.Problem.Steps.Count, 2, 4);
                Assert.All(environment.Problem.Steps, s =>
                {
                    Assert.True(Calculator.TryEvaluate(s.Expression, out var v, out _));
                    Assert.Equal(s.Value, v);
                    Assert.True(s.Value >= 1);
                });
            }
        }
    }

    [Fact]
    public async Task WrongAnswerEndsTheEpisodeWithZeroReward()
    {
        var environment = Factory.Create();
        await environment.ResetAsync(Factory.Tasks(DataSplit.Train, 1)[0]);
        var step = await environment.StepAsync(AgentAction.Call(new ToolCall("call_0", "answer", "{\"value\": -1}")));
        Assert.True(step.Done);
        Assert.False(step.Success);
        Assert.Equal(0, step.Reward);
        Assert.Equal("-1 is wrong.", Assert.Single(step.Observations).Content);
    }

    [Fact]
    public async Task MalformedActionsAreObservationsAndUseUpTurns()
    {
        var environment = new CalcEnvironment(new CalcOptions { MaxTurns = 4 });
        await environment.ResetAsync(Factory.Tasks(DataSplit.Train, 1)[0]);

        var malformed = await environment.StepAsync(HermesToolCallParser.Parse("<tool_call>{\"name\": calculator}</tool_call>").ToAgentAction());
        Assert.True(Assert.Single(malformed.Observations).IsError);

        var badArgs = await environment.StepAsync(AgentAction.Call(new ToolCall("call_1", "calculator", "{\"expr\": \"1+1\"}")));
        Assert.Contains("argument \"expression\" is required", Assert.Single(badArgs.Observations).Content);

        var badExpression = await environment.StepAsync(AgentAction.Call(new ToolCall("call_2", "calculator", "{\"expression\": \"1/0\"}")));
        Assert.Equal("error: division by zero", Assert.Single(badExpression.Observations).Content);

        var chat = await environment.StepAsync(AgentAction.Say("I think it is 7."));
        Assert.Contains("No tool call found", chat.Observations[0].Content);
        Assert.True(chat.Done);
        Assert.False(chat.Success);
        Assert.Equal(2, chat.Metrics["invalid_tool_calls"]);
        Assert.Equal(1, chat.Metrics["failed_tool_calls"]);
    }

    [Fact]
    public async Task CallsAfterTheAnswerAreRefused()
    {
        var environment = Factory.Create();
        await environment.ResetAsync(Factory.Tasks(DataSplit.Train, 1)[0]);
        var step = await environment.StepAsync(AgentAction.Call(
            new ToolCall("call_0", "answer", "{\"value\": 1}"), new ToolCall("call_1", "answer", "{\"value\": 2}")));
        Assert.True(step.Done);
        Assert.Equal(2, step.Observations.Count);
        Assert.True(step.Observations[1].IsError);
        Assert.Equal("call_1", step.Observations[1].ToolCallId);
    }
}
