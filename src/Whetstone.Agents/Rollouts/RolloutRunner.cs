using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Rollouts;

/// <summary>
/// Runs tasks × G samples against an environment with a bounded number of episodes in flight, and streams each
/// trajectory out as soon as its episode ends, so a crash loses at most the episodes in flight.
/// </summary>
/// <remarks>
/// Each episode gets a fresh environment instance from the factory and a policy from the <see cref="PolicySource"/>.
/// Policy and environment failures and time-outs are recorded as <see cref="EpisodeStatus.InfrastructureError"/>
/// trajectories rather than thrown; evaluation leaves them out. Trajectories arrive in completion order, which varies
/// with parallelism; their contents do not (each episode's seed depends only on the rollout seed, task and sample).
/// <code>
/// var runner = new RolloutRunner(factory, PolicySource.Expert(factory), new RolloutOptions { SamplesPerTask = 4 });
/// await foreach (var trajectory in runner.RunAsync(factory.Tasks(DataSplit.Train, 100)))
///     await writer.WriteAsync(trajectory);
/// </code>
/// </remarks>
public sealed class RolloutRunner
{
    private readonly RolloutOptions _options;
    private readonly EpisodeRunner _episodes;

    /// <summary>Creates a runner for episodes of <paramref name="factory"/> played by <paramref name="policies"/>.</summary>
    public RolloutRunner(IEnvironmentFactory factory, PolicySource policies, RolloutOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(policies);
        _options = options ?? new RolloutOptions();
        _options.Validate();
        _episodes = new EpisodeRunner(factory, policies, _options);
    }

    /// <summary>The episodes a rollout of <paramref name="tasks"/> runs: each task's G samples, task by task.</summary>
    public IReadOnlyList<RolloutEpisode> Plan(IReadOnlyList<EnvironmentTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var plan = new List<RolloutEpisode>(tasks.Count * _options.SamplesPerTask);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            if (!seen.Add(task.Id))
                throw new ArgumentException($"Task id '{task.Id}' appears twice; trajectory ids are built from task ids, so they must be unique.", nameof(tasks));
            for (int s = 0; s < _options.SamplesPerTask; s++)
                plan.Add(RolloutEpisode.For(task, s, _options.Seed));
        }
        return plan;
    }

    /// <summary>
    /// Runs every planned episode of <paramref name="tasks"/> and yields each trajectory as its episode ends.
    /// Stopping the enumeration early cancels the episodes still running. Cancelling
    /// <paramref name="cancellationToken"/> throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public async IAsyncEnumerable<Trajectory> RunAsync(
        IReadOnlyList<EnvironmentTask> tasks,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var plan = Plan(tasks);
        if (plan.Count == 0)
            yield break;

        int workerCount = Math.Min(_options.MaxParallelism, plan.Count);
        // Bounded so a slow consumer (a disk writer) holds back the workers instead of piling up trajectories.
        var channel = Channel.CreateBounded<Trajectory>(new BoundedChannelOptions(2 * workerCount)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int next = -1;

        async Task Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < plan.Count)
            {
                stop.Token.ThrowIfCancellationRequested();
                var trajectory = await _episodes.RunAsync(plan[i], stop.Token).ConfigureAwait(false);
                await channel.Writer.WriteAsync(trajectory, stop.Token).ConfigureAwait(false);
            }
        }

        var workers = new Task[workerCount];
        for (int w = 0; w < workerCount; w++)
            workers[w] = Task.Run(Work, CancellationToken.None);
        var allDone = Task.WhenAll(workers).ContinueWith(
            t => channel.Writer.TryComplete(t.IsFaulted ? t.Exception!.GetBaseException() : t.IsCanceled ? new OperationCanceledException(stop.Token) : null),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        try
        {
            await foreach (var trajectory in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                yield return trajectory;
        }
        finally
        {
            stop.Cancel();
            await allDone.ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Runs the rollout to the end, calls <paramref name="onTrajectory"/> for each trajectory as it arrives (e.g. to
    /// append it to a JSONL file), and returns them all in plan order (task by task, sample by sample).
    /// </summary>
    public async Task<IReadOnlyList<Trajectory>> RunAllAsync(
        IReadOnlyList<EnvironmentTask> tasks,
        Func<Trajectory, CancellationToken, ValueTask>? onTrajectory = null,
        CancellationToken cancellationToken = default)
    {
        var order = Plan(tasks).Select((e, i) => (e.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var results = new Trajectory[order.Count];
        await foreach (var trajectory in RunAsync(tasks, cancellationToken).ConfigureAwait(false))
        {
            results[order[trajectory.Id]] = trajectory;
            if (onTrajectory is not null)
                await onTrajectory(trajectory, cancellationToken).ConfigureAwait(false);
        }
        return results;
    }
}
