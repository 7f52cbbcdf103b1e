using System.Net;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Environments.Http;
using Whetstone.Agents.Evaluation;
using Whetstone.Agents.Rollouts;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Environments.Http;

public sealed class HttpEnvironmentTests : IDisposable
{
    private readonly GuessNumberServer _server = new();

    public void Dispose() => _server.Dispose();

    private static AgentAction Guess(int n) => AgentAction.Call(new ToolCall("call_0", "guess", $$"""{"n":{{n}}}"""));

    [Fact]
    public async Task Connect_reads_name_and_description()
    {
        var factory = new HttpEnvironmentFactory(_server.BaseUri);
        await factory.ConnectAsync();
        Assert.Equal("guess", factory.Name);
        Assert.Equal("Guess a number from 1 to 10.", factory.Description);
        Assert.Equal("guess", factory.Create().Name);
    }

    [Fact]
    public void The_catalog_connects_to_a_server_given_its_url()
    {
        var factory = EnvironmentCatalog.Parse(_server.BaseUri.AbsoluteUri);
        Assert.IsType<HttpEnvironmentFactory>(factory);
        Assert.Equal("guess", factory.Name);
    }

    [Fact]
    public void Tasks_come_from_the_server_by_split()
    {
        var factory = new HttpEnvironmentFactory(_server.BaseUri);
        var train = factory.Tasks(DataSplit.Train, 3, offset: 2);
        var test = factory.Tasks(DataSplit.Test, 3);
        Assert.Equal(["guess/train/2", "guess/train/3", "guess/train/4"], train.Select(t => t.Id));
        Assert.All(test, t => Assert.Equal(DataSplit.Test, t.Split));
        Assert.Empty(train.Select(t => t.Seed).Intersect(test.Select(t => t.Seed)));
    }

    [Fact]
    public async Task An_episode_runs_through_reset_and_step()
    {
        var factory = new HttpEnvironmentFactory(_server.BaseUri);
        var env = factory.Create();
        var reset = await env.ResetAsync(new EnvironmentTask("t", DataSplit.Train, Seed: 6)); // secret = 7
        Assert.Equal([ObservationSource.System, ObservationSource.User], reset.Observations.Select(o => o.Source));
        var tool = Assert.Single(reset.Tools);
        Assert.Equal("guess", tool.Name);
        Assert.Equal("integer", tool.Parameters.GetProperty("properties").GetProperty("n").GetProperty("type").GetString());

        var low = await env.StepAsync(Guess(3));
        Assert.False(low.Done);
        var answer = Assert.Single(low.Observations);
        Assert.Equal(("higher", "call_0", ObservationSource.Tool), (answer.Content, answer.ToolCallId, answer.Source));

        var right = await env.StepAsync(Guess(7));
        Assert.True(right.Done);
        Assert.True(right.Success);
        Assert.Equal(1.0, right.Reward);
        Assert.Equal(2.0, right.Metrics["guesses"]);
    }

    [Fact]
    public async Task An_action_without_a_tool_call_gets_an_error_observation_from_the_server()
    {
        var env = new HttpEnvironmentFactory(_server.BaseUri).Create();
        await env.ResetAsync(new EnvironmentTask("t", DataSplit.Train, 1));
        var step = await env.StepAsync(AgentAction.Say("I think it is five."));
        Assert.False(step.Done);
        Assert.True(Assert.Single(step.Observations).IsError);
    }

    [Fact]
    public async Task The_servers_expert_solves_the_task()
    {
        var factory = new HttpEnvironmentFactory(_server.BaseUri);
        var env = factory.Create();
        var expert = factory.CreateExpert(env);
        await env.ResetAsync(new EnvironmentTask("t", DataSplit.Test, 1_000_004));
        var response = await expert.RespondAsync([]);
        var step = await env.StepAsync(response.Action);
        Assert.True(step.Success);
    }

    [Fact]
    public async Task The_rollout_runner_scores_remote_episodes_and_counts_a_broken_server_as_infrastructure_error()
    {
        var factory = new HttpEnvironmentFactory(_server.BaseUri);
        var tasks = factory.Tasks(DataSplit.Test, 6);
        var runner = new RolloutRunner(factory, PolicySource.Expert(factory), new RolloutOptions { MaxParallelism = 3 });
        var good = await runner.RunAllAsync(tasks);
        Assert.All(good, t => Assert.True(t.Success));
        Assert.Equal(1.0, TrajectoryEvaluator.Evaluate(good).SuccessRate);

        _server.FailWith = 500;
        var broken = await runner.RunAllAsync(tasks);
        Assert.All(broken, t => Assert.Equal(EpisodeStatus.InfrastructureError, t.Status));
        Assert.All(broken, t => Assert.Contains("500", t.StatusDetail));
    }

    [Fact]
    public async Task A_server_error_is_an_exception_that_names_the_endpoint_and_status()
    {
        var env = new HttpEnvironmentFactory(_server.BaseUri).Create();
        _server.FailWith = 503;
        var error = await Assert.ThrowsAsync<HttpRequestException>(
            async () => await env.ResetAsync(new EnvironmentTask("t", DataSplit.Train, 1)));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("/env/reset", error.Message);
        Assert.Contains("503", error.Message);
    }

    [Theory]
    [InlineData("""{"observations":[],"reward":1}""", "\"done\" is missing")]
    [InlineData("""{"observations":[{"source":"robot","content":"x"}],"done":true}""", "\"source\" must be one of")]
    [InlineData("""{"observations":[{"source":"tool"}],"done":true}""", "/step.observations[0]: field \"content\" is missing")]
    [InlineData("""{"observations": nope""", "invalid JSON")]
    public async Task A_protocol_violation_names_the_field(string stepBody, string expected)
    {
        var env = new HttpEnvironmentFactory(_server.BaseUri).Create();
        await env.ResetAsync(new EnvironmentTask("t", DataSplit.Train, 1));
        _server.StepOverride = stepBody;
        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await env.StepAsync(Guess(1)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task Step_before_reset_is_a_clear_error()
    {
        var env = new HttpEnvironmentFactory(_server.BaseUri).Create();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await env.StepAsync(Guess(1)));
        Assert.Contains("before ResetAsync", error.Message);
    }
}
