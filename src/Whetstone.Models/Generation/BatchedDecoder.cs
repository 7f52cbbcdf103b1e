using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Whetstone.Models.Generation;

/// <summary>
/// Continuous batching for concurrent callers (the server's clients, the episodes of a rollout): one background
/// thread owns the <see cref="Generator"/> (which is not thread-safe). Requests hand in a <see cref="GenerationRequest"/> and read their tokens from a channel of their own;
/// between steps the loop admits new sequences (<see cref="Generator.Add"/>), drops cancelled ones
/// (<see cref="Generator.Remove"/>), runs one <see cref="Generator.Step"/> over everything in flight and routes each
/// token to its request. Sequences that join mid-flight are prefilled in the same step as the others' decode tokens,
/// so concurrent clients share every weight read. Each sequence samples from its own seeded generator and batched
/// rows are computed independently, so a seeded request gets the same tokens whatever else is in flight.
/// </summary>
public sealed class BatchedDecoder : IDisposable
{
    private readonly Generator _generator;
    private readonly ConcurrentQueue<Job> _incoming = new();
    private readonly ConcurrentQueue<Job> _cancelled = new();
    private readonly Dictionary<int, Job> _running = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Thread _thread;
    private volatile bool _stopping;

    /// <summary>Starts the decode thread over <paramref name="generator"/>, which the decoder owns from now on.</summary>
    /// <param name="generator">The generator; disposed with the decoder.</param>
    /// <param name="threadName">The background thread's name (shows in debuggers and dumps).</param>
    public BatchedDecoder(Generator generator, string threadName = "whet decoder")
    {
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
        _thread = new Thread(Loop) { IsBackground = true, Name = threadName };
        _thread.Start();
    }

    /// <summary>Total tokens generated since start (for logs and benchmarks).</summary>
    public long TokensGenerated => Interlocked.Read(ref _tokens);
    private long _tokens;

    /// <summary>Queues a sequence; its tokens arrive on the returned reader, which completes after the last one
    /// (or with the generator's exception). Cancelling <paramref name="cancellationToken"/> removes the sequence.</summary>
    public ChannelReader<DecodeUpdate> Submit(GenerationRequest request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        var job = new Job(request);
        _incoming.Enqueue(job);
        job.Registration = cancellationToken.Register(() =>
        {
            job.CancelRequested = true;
            _cancelled.Enqueue(job);
            _wake.Set();
        });
        _wake.Set();
        return job.Channel.Reader;
    }

    /// <summary>Queues a sequence and waits for its whole result.</summary>
    /// <exception cref="ArgumentException">The generator refused the request (empty prompt, ids outside the vocabulary …).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired or the decoder stopped.</exception>
    public async Task<GenerationResult> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        var updates = Submit(request, cancellationToken);
        await foreach (var update in updates.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            if (update.Finished is { } result) return result;
        throw new InvalidOperationException("BatchedDecoder: the sequence ended without a result.");
    }

    private void Loop()
    {
        while (!_stopping)
        {
            while (_incoming.TryDequeue(out var job))
            {
                if (job.CancelRequested)
                {
                    job.Complete(new OperationCanceledException("The client went away."));
                    continue;
                }
                try
                {
                    job.SequenceId = _generator.Add(job.Request);
                    _running[job.SequenceId] = job;
                }
                catch (ArgumentException e)
                {
                    job.Complete(e);
                }
            }
            while (_cancelled.TryDequeue(out var job))
                if (job.SequenceId >= 0 && _running.Remove(job.SequenceId))
                {
                    _generator.Remove(job.SequenceId);
                    job.Complete(new OperationCanceledException("The client went away."));
                }

            if (_generator.ActiveCount + _generator.WaitingCount == 0)
            {
                _wake.Wait();
                _wake.Reset();
                continue;
            }
            try
            {
                foreach (var e in _generator.Step())
                {
                    Interlocked.Increment(ref _tokens);
                    if (!_running.TryGetValue(e.SequenceId, out var job)) continue;
                    job.Channel.Writer.TryWrite(new DecodeUpdate(e.Token, e.Finished));
                    if (e.Finished is not null)
                    {
                        _running.Remove(e.SequenceId);
                        job.Complete(null);
                    }
                }
            }
            catch (Exception e)
            {
                // A failing step leaves the batch in an unknown state: fail everything in flight, keep serving.
                foreach (var job in _running.Values)
                {
                    _generator.Remove(job.SequenceId);
                    job.Complete(e);
                }
                _running.Clear();
            }
        }
        foreach (var job in _running.Values) job.Complete(new OperationCanceledException("The server is stopping."));
        while (_incoming.TryDequeue(out var job)) job.Complete(new OperationCanceledException("The server is stopping."));
    }

    /// <summary>Stops the loop (requests in flight end with a cancellation) and disposes the generator.</summary>
    public void Dispose()
    {
        if (_stopping) return;
        _stopping = true;
        _wake.Set();
        _thread.Join();
        _generator.Dispose();
        _wake.Dispose();
    }

    private sealed class Job(GenerationRequest request)
    {
        public GenerationRequest Request { get; } = request;
        public Channel<DecodeUpdate> Channel { get; } =
            System.Threading.Channels.Channel.CreateUnbounded<DecodeUpdate>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        public int SequenceId { get; set; } = -1;
        public volatile bool CancelRequested;
        public CancellationTokenRegistration Registration { get; set; }

        public void Complete(Exception? error)
        {
            Channel.Writer.TryComplete(error);
            Registration.Dispose();
        }
    }
}
