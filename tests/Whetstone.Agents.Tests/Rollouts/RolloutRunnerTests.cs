using Whetstone.Agents.Environments;
using Whetstone.Agents.Evaluation;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Rollouts;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Rollouts;

public class RolloutRunnerTests
{
    private static readonly GuessFactory Factory = new();

    private static async Task<List<Trajectory>> Collect(RolloutRunner runner, IReadOnlyList<EnvironmentTask> tasks, CancellationToken ct = default)
    {
        var list = new List<Trajectory>();
        await foreach (var t in runner.RunAsync(tasks, ct))
            list.Add(t);
        return list;
    }

    [Fact]
    public async Task ExpertSolvesEveryTaskAndTheTrajectoryRecordsTheEpisode()
    {
        var factory = new GuessFactory();
        var runner = new RolloutRunner(factory, PolicySource.Expert(factory), new RolloutOptions { MaxParallelism = 2 });
        var tasks = factory.Tasks(DataSplit.Test, 5);

        var trajectories = await runner.RunAllAsync(tasks);

        Assert.Equal(5, trajectories.Count);
        Assert.Equal(5, factory.Created); // one instance per episode
        for (int i = 0; i < 5; i++)
        {
            var t = trajectories[i];
            Assert.Equal(tasks[i].Id, t.TaskId);
            Assert.Equal($"{tasks[i].Id}#0", t.Id);
            Assert.Equal("guess", t.Environment);
            Assert.Equal(EpisodeStatus.Completed, t.Status);
            Assert.True(t.Success);
            Assert.Equal(1.0, t.Reward);
            Assert.Equal(1.0, t.Metrics["guesses"]);
            Assert.Equal("guess", Assert.Single(t.Tools).Name);
            // system, user, action, tool output
            Assert.Collection(t.Steps,
                s => Assert.Equal(ObservationSource.System, Assert.IsType<ObservationStep>(s).Observation.Source),
                s => Assert.Equal(ObservationSource.User, Assert.IsType<ObservationStep>(s).Observation.Source),
                s => Assert.Equal(1.0, Assert.IsType<ActionStep>(s).Reward),
                s => Assert.Equal("correct", Assert.IsType<ObservationStep>(s).Observation.Content));
            Assert.Equal(0, t.Metadata["sample_index"]!.GetValue<int>());
            Assert.Equal("test", t.Metadata["split"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task RunsGSamplesPerTaskWithDistinctSeeds()
    {
        var runner = new RolloutRunner(Factory, PolicySource.Expert(Factory), new RolloutOptions { SamplesPerTask = 4, Seed = 7 });
        var tasks = Factory.Tasks(DataSplit.Train, 3);

        var trajectories = await Collect(runner, tasks);

        Assert.Equal(12, trajectories.Count);
        foreach (var group in trajectories.GroupBy(t => t.TaskId))
        {
            Assert.Equal(4, group.Count());
            Assert.Equal([0, 1, 2, 3], group.Select(t => t.Metadata["sample_index"]!.GetValue<int>()).Order());
            Assert.Equal(4, group.Select(t => t.Metadata["seed"]!.GetValue<int>()).Distinct().Count());
        }
        Assert.Equal(12, trajectories.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public async Task EachTurnIsSampledWithItsOwnSeed()
    {
        // A seeded sampler given one seed for every turn draws the same random numbers each turn; a LocalPolicy
        // bandit agent at temperature 1 then pulled a single arm for all 30 pulls. Each call must get its own seed.
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, List<int?>>();
        var policy = new DelegatePolicy((m, o, _) =>
        {
            var task = m[1].Content!;
            lock (seen) seen.GetOrAdd(task, _ => []).Add(o!.Sampling.Seed);
            return Task.FromResult(DelegatePolicy.Guess(10));
        });
        async Task<List<Trajectory>> Run() => await Collect(
            new RolloutRunner(Factory, PolicySource.Shared(policy), new RolloutOptions { MaxTurns = 6, SamplesPerTask = 2, Seed = 3 }),
            Factory.Tasks(DataSplit.Test, 2));

        var trajectories = await Run();
        var first = seen.ToDictionary(kv => kv.Key, kv => kv.Value.ToList());
        seen.Clear();
        await Run();

        Assert.Equal(2, first.Count);
        foreach (var t in trajectories) // the first turn keeps the episode's seed
            Assert.Contains(t.Metadata["seed"]!.GetValue<int>(), first[$"Task {t.TaskId}: go."]);
        var all = first.Values.SelectMany(v => v).ToList();
        Assert.Equal(2 * 2 * 6, all.Count);
        Assert.All(all, s => Assert.NotNull(s));
        Assert.Equal(all.Count, all.Distinct().Count()); // no two turns, samples or tasks share a seed
        Assert.Equal(first.Keys.Order(), seen.Keys.Order());
        foreach (var (task, seeds) in first)
            Assert.Equal(seeds.Order(), seen[task].Order()); // and the seeds are reproducible
    }

    [Fact]
    public async Task NeverRunsMoreEpisodesAtOnceThanTheBound()
    {
        const int bound = 3;
        int inFlight = 0, maxInFlight = 0;
        var reachedBound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var policy = new DelegatePolicy(async (_, _, ct) =>
        {
            int now = Interlocked.Increment(ref inFlight);
            int seen;
            while ((seen = Volatile.Read(ref maxInFlight)) < now && Interlocked.CompareExchange(ref maxInFlight, now, seen) != seen) { }
            if (now == bound) reachedBound.TrySetResult();
            // Hold the call until `bound` calls overlap, so the test shows both the bound and real parallelism.
            await reachedBound.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            await Task.Yield();
            Interlocked.Decrement(ref inFlight);
            return DelegatePolicy.Guess(10);
        });
        var runner = new RolloutRunner(Factory, PolicySource.Shared(policy), new RolloutOptions { MaxParallelism = bound, MaxTurns = 2 });

        var trajectories = await Collect(runner, Factory.Tasks(DataSplit.Train, 12));

        Assert.Equal(12, trajectories.Count);
        Assert.All(trajectories, t => Assert.Equal(EpisodeStatus.Truncated, t.Status));
        Assert.Equal(bound, maxInFlight);
    }

    [Fact]
    public async Task TurnLimitTruncatesAndTheEpisodeStillCounts()
    {
        var policy = new DelegatePolicy((_, _, _) => Task.FromResult(DelegatePolicy.Guess(10)));
        var runner = new RolloutRunner(Factory, PolicySource.Shared(policy), new RolloutOptions { MaxTurns = 3 });

        var t = Assert.Single(await Collect(runner, Factory.Tasks(DataSplit.Test, 1)));

        Assert.Equal(EpisodeStatus.Truncated, t.Status);
        Assert.Contains("turn limit", t.StatusDetail);
        Assert.Equal(3, t.Steps.Count(s => s is ActionStep));
        Assert.False(t.Success);
        Assert.Equal(0.0, t.Reward);
        var report = TrajectoryEvaluator.Evaluate([t]);
        Assert.Equal(1, report.Episodes);
        Assert.Equal(1, report.Truncated);
        Assert.Equal(0.0, report.SuccessRate);
    }

    [Fact]
    public async Task AFullContextWindowTruncatesTheEpisodeInsteadOfDroppingIt()
    {
        // Overflowing the model's context is the policy's own failure: it must be scored (reward so far, no success),
        // not excluded as an infrastructure error, or RL would stop penalising it.
        int calls = 0;
        var policy = new DelegatePolicy((_, _, _) => ++calls < 3
            ? Task.FromResult(DelegatePolicy.Guess(10))
            : throw new ContextWindowFullException(2100, 2048));
        var runner = new RolloutRunner(Factory, PolicySource.Shared(policy), new RolloutOptions { MaxTurns = 10 });

        var t = Assert.Single(await Collect(runner, Factory.Tasks(DataSplit.Test, 1)));

        Assert.Equal(EpisodeStatus.Truncated, t.Status);
        Assert.Contains("context window full", t.StatusDetail);
        Assert.Equal(2, t.Steps.Count(s => s is ActionStep));
        Assert.False(t.Success);
        Assert.NotNull(t.Reward);
        var report = TrajectoryEvaluator.Evaluate([t]);
        Assert.Equal(1, report.Episodes);
        Assert.Equal(0, report.InfrastructureErrors);
    }

    [Fact]
    public async Task TokenBudgetTruncatesAndLowersEachCallsMaxTokens()
    {
        var maxTokensSeen = new List<int>();
        var policy = new DelegatePolicy((_, options, _) =>
        {
            maxTokensSeen.Add(options!.Sampling.MaxTokens);
            return Task.FromResult(DelegatePolicy.Guess(10) with { CompletionTokens = 10 });
        });
        var runner = new RolloutRunner(Factory, PolicySource.Shared(policy),
            new RolloutOptions { MaxTurns = 10, MaxGeneratedTokens = 25, Sampling = new SamplingOptions { MaxTokens = 20 } });

        var t = Assert.Single(await Collect(runner, Factory.Tasks(DataSplit.Test, 1)));

        Assert.Equal(EpisodeStatus.Truncated, t.Status);
        Assert.Contains("token limit", t.StatusDetail);
        Assert.Equal([20, 15, 5], maxTokensSeen);
        Assert.Equal(30, t.Metadata["generated_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task RecordsTokenIdsAndLogProbsOfEachTurn()
    {
        var policy = new DelegatePolicy((messages, _, _) => Task.FromResult(DelegatePolicy.Guess(10) with
        {
            TokenIds = [messages.Count, 1, 2],
            LogProbs = [-0.5f, -0.25f, -0.125f],
        }));
        var runner = new RolloutRunner(Factory, PolicySource.Shared(policy), new RolloutOptions { MaxTurns = 2 });

        var t = Assert.Single(await Collect(runner, Factory.Tasks(DataSplit.Test, 1)));

        var actions = t.Steps.OfType<ActionStep>().ToList();
        Assert.Equal([2, 1, 2], actions[0].TokenIds);
        Assert.Equal([4, 1, 2], actions[1].TokenIds); // two more messages: the action and its tool output
        Assert.Equal([-0.5f, -0.25f, -0.125f], actions[1].LogProbs);
        Assert.Equal(6, t.Metadata["generated_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task ThrowingPolicyIsAnInfrastructureErrorLeftOutOfTheStatistics()
    {
        var factory = new GuessFactory();
        // Episodes of odd tasks fail; the others are played by the expert.
        var source = PolicySource.PerEpisode((env, episode) =>
            int.Parse(episode.Task.Id.Split('/')[2]) % 2 == 1
                ? new DelegatePolicy((_, _, _) => throw new HttpRequestException("503 Service Unavailable"))
                : factory.CreateExpert(env));
        var runner = new RolloutRunner(factory, source);

        var trajectories = await runner.RunAllAsync(factory.Tasks(DataSplit.Test, 6));

        var failed = trajectories.Where(t => t.Status == EpisodeStatus.InfrastructureError).ToList();
        Assert.Equal(3, failed.Count);
        Assert.All(failed, t =>
        {
            Assert.Contains("503 Service Unavailable", t.StatusDetail);
            Assert.Contains("policy call", t.StatusDetail);
            Assert.Null(t.Reward);
            Assert.Null(t.Success);
        });
        var report = TrajectoryEvaluator.Evaluate(trajectories);
        Assert.Equal(3, report.Episodes);
        Assert.Equal(3, report.InfrastructureErrors);
        Assert.Equal(1.0, report.SuccessRate); // not 0.5: failures are not scored as zero-reward episodes
        Assert.Equal(1.0, report.Reward.Mean);
    }

    [Fact]
    public async Task PolicyThatRunsPastTheStepTimeoutIsAnInfrastructureError()
    {
        var cooperative = new DelegatePolicy(async (_, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        // Ignores its token entirely: the runner must stop waiting anyway.
        var stubborn = new DelegatePolicy((_, _, _) => new TaskCompletionSource<PolicyResponse>().Task);
        var options = new RolloutOptions { StepTimeout = TimeSpan.FromMilliseconds(50) };

        foreach (var policy in new IPolicy[] { cooperative, stubborn })
        {
            var runner = new RolloutRunner(Factory, PolicySource.Shared(policy), options);
            var t = Assert.Single(await Collect(runner, Factory.Tasks(DataSplit.Test, 1)));
            Assert.Equal(EpisodeStatus.InfrastructureError, t.Status);
            Assert.Contains("policy call (turn 1) timed out", t.StatusDetail);
        }
    }

    [Fact]
    public async Task ATimeoutExceptionOfThePolicysOwnIsReportedAsAFailureWithoutAStepTimeout()
    {
        var policy = new DelegatePolicy((_, _, _) => throw new TimeoutException("server took too long"));
        var runner = new RolloutRunner(Factory, PolicySource.Shared(policy));

        var t = Assert.Single(await Collect(runner, Factory.Tasks(DataSplit.Test, 1)));

        Assert.Equal(EpisodeStatus.InfrastructureError, t.Status);
        Assert.Equal("policy call (turn 1) failed: TimeoutException: server took too long", t.StatusDetail);
    }

    [Fact]
    public async Task ThrowingEnvironmentIsAnInfrastructureError()
    {
        var factory = new GuessFactory { Create_ = () => new GuessEnvironment { StepOverride = _ => throw new IOException("disk gone") } };
        var runner = new RolloutRunner(factory, PolicySource.Expert(factory));

        var t = Assert.Single(await Collect(runner, factory.Tasks(DataSplit.Test, 1)));

        Assert.Equal(EpisodeStatus.InfrastructureError, t.Status);
        Assert.Equal("environment step (turn 1) failed: IOException: disk gone", t.StatusDetail);
        Assert.Single(t.Steps.OfType<ActionStep>()); // what happened before the failure is kept for debugging
    }

    [Fact]
    public async Task StreamsEachTrajectoryAsSoonAsItsEpisodeEnds()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var factory = new GuessFactory();
        var source = PolicySource.PerEpisode((env, episode) => episode.Task.Id.EndsWith("/0", StringComparison.Ordinal)
            ? new DelegatePolicy(async (m, o, ct) =>
            {
                await release.Task.WaitAsync(ct);
                return await factory.CreateExpert(env).RespondAsync(m, o, ct);
            })
            : factory.CreateExpert(env));
        var runner = new RolloutRunner(factory, source, new RolloutOptions { MaxParallelism = 2 });

        var received = new List<string>();
        await using var e = runner.RunAsync(factory.Tasks(DataSplit.Test, 4)).GetAsyncEnumerator();
        // Task 0 is blocked, yet tasks 1, 2 and 3 arrive: they are not held back behind it.
        for (int i = 0; i < 3; i++)
        {
            Assert.True(await e.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
            received.Add(e.Current.TaskId!);
        }
        Assert.DoesNotContain("guess/test/0", received);
        release.SetResult();
        Assert.True(await e.MoveNextAsync());
        Assert.Equal("guess/test/0", e.Current.TaskId);
        Assert.False(await e.MoveNextAsync());
    }

    [Fact]
    public async Task SameSeedGivesTheSameTrajectoriesAtAnyParallelism()
    {
        var tasks = Factory.Tasks(DataSplit.Test, 8);
        async Task<List<string>> Run(int parallelism, int seed)
        {
            var runner = new RolloutRunner(Factory, PolicySource.Random(),
                new RolloutOptions { SamplesPerTask = 3, MaxParallelism = parallelism, MaxTurns = 6, Seed = seed });
            var trajectories = await runner.RunAllAsync(tasks);
            return trajectories.Select(Describe).ToList();
        }

        var sequential = await Run(1, seed: 5);
        var parallel = await Run(2, seed: 5);
        var otherSeed = await Run(2, seed: 6);

        Assert.Equal(sequential, parallel);
        Assert.NotEqual(sequential, otherSeed);
    }

    private static string Describe(Trajectory t) =>
        $"{t.Id} {t.Status} {t.Reward} | " + string.Join(" | ", t.Steps.Select(s => s switch
        {
            ActionStep a => $"A:{a.Action.Content}:{string.Join(",", a.Action.ToolCalls.Select(c => c.Name + c.ArgumentsJson))}",
            ObservationStep o => $"O:{o.Observation.Content}",
            _ => "?",
        }));

    [Fact]
    public async Task CancellationStopsTheRolloutWithOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        int calls = 0;
        var policy = new DelegatePolicy(async (_, _, ct) =>
        {
            if (Interlocked.Increment(ref calls) == 3) cts.Cancel();
            await Task.Yield();
            return DelegatePolicy.Guess(10);
        });
        var runner = new RolloutRunner(Factory, PolicySource.Shared(policy), new RolloutOptions { MaxParallelism = 2, MaxTurns = 50 });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Collect(runner, Factory.Tasks(DataSplit.Test, 100), cts.Token));
        Assert.True(calls < 100 * 50);
    }

    [Fact]
    public async Task StoppingTheEnumerationEarlyEndsTheRollout()
    {
        var runner = new RolloutRunner(Factory, PolicySource.Random(), new RolloutOptions { MaxParallelism = 2 });
        int seen = 0;
        await foreach (var _ in runner.RunAsync(Factory.Tasks(DataSplit.Test, 1000)))
            if (++seen == 5) break;
        Assert.Equal(5, seen);
    }

    [Fact]
    public void RejectsDuplicateTaskIdsAndBadOptions()
    {
        var task = Factory.Tasks(DataSplit.Test, 1)[0];
        var runner = new RolloutRunner(Factory, PolicySource.Random());
        var error = Assert.Throws<ArgumentException>(() => runner.Plan([task, task]));
        Assert.Contains(task.Id, error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RolloutRunner(Factory, PolicySource.Random(), new RolloutOptions { MaxParallelism = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RolloutRunner(Factory, PolicySource.Random(), new RolloutOptions { SamplesPerTask = 0 }));
    }
}
