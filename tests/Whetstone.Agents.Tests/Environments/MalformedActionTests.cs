using Whetstone.Agents.Environments;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Environments;

/// <summary>Every built-in answers bad actions with observations, never exceptions, and counts them.</summary>
public class MalformedActionTests
{
    public static TheoryData<string> Names() => new(EnvironmentCatalog.All.Select(d => d.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public async Task BadActionsBecomeErrorObservations(string name)
    {
        var factory = EnvironmentCatalog.Create(name);
        var environment = factory.Create();
        var reset = await environment.ResetAsync(factory.Tasks(DataSplit.Train, 1)[0]);

        var garbage = await environment.StepAsync(HermesToolCallParser.Parse("<tool_call>{\"name\": oops</tool_call>").ToAgentAction());
        var error = Assert.Single(garbage.Observations);
        Assert.True(error.IsError);
        Assert.Equal(ObservationSource.Environment, error.Source);

        var unknown = await environment.StepAsync(AgentAction.Call(new ToolCall("c1", "launch_rockets", "{}")));
        Assert.StartsWith("error: unknown tool \"launch_rockets\". Available tools:", Assert.Single(unknown.Observations).Content);

        var notJson = await environment.StepAsync(AgentAction.Call(new ToolCall("c2", reset.Tools[0].Name, "{not json")));
        Assert.Contains("arguments are not valid JSON", Assert.Single(notJson.Observations).Content);

        var silent = await environment.StepAsync(new AgentAction());
        Assert.Contains("No tool call found", silent.Observations[0].Content);
        Assert.False(silent.Observations[0].IsError);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task InvalidCallsAreCountedInTheFinalMetrics(string name)
    {
        var factory = EnvironmentCatalog.Create(name);
        var environment = factory.Create();
        await environment.ResetAsync(factory.Tasks(DataSplit.Train, 1)[0]);
        EnvironmentStep step;
        var turns = 0;
        do
        {
            step = await environment.StepAsync(AgentAction.Call(new ToolCall($"c{turns}", "nope", "{}")));
            turns++;
        } while (!step.Done && turns < 1000);
        Assert.True(step.Done);
        Assert.False(step.Success);
        Assert.Equal(turns, step.Metrics["invalid_tool_calls"]);
        Assert.Equal(turns, step.Metrics["tool_calls"]);
    }
}
