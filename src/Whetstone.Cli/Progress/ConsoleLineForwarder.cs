using System.Collections.Concurrent;
using System.Text;
using Spectre.Console;

namespace Whetstone.Cli.Progress;

/// <summary>
/// Stands in for <see cref="Console.Out"/> and <see cref="Console.Error"/> while a live display runs: whole lines are
/// queued and a pump prints them through the Spectre console, which puts them above the bars instead of through them.
/// The writer itself never calls into Spectre: a write holds Console.Out's lock, and Spectre, while drawing, asks
/// System.Console for the window size, which takes the same lock; calling Spectre from here would deadlock.
/// </summary>
internal sealed class ConsoleLineForwarder : TextWriter
{
    private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(50);

    private readonly IAnsiConsole _console;
    private readonly Lock _gate = new();
    private readonly StringBuilder _pending = new();
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    public ConsoleLineForwarder(IAnsiConsole console)
    {
        _console = console;
        _pump = Task.Run(PumpAsync);
    }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                _lines.Enqueue(_pending.ToString());
                _pending.Clear();
            }
            else if (value != '\r')
                _pending.Append(value);
        }
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        lock (_gate)
            foreach (char c in value)
                Write(c);
    }

    /// <summary>Queues a partial last line; the pump prints it.</summary>
    public override void Flush()
    {
        lock (_gate)
            if (_pending.Length > 0)
            {
                _lines.Enqueue(_pending.ToString());
                _pending.Clear();
            }
    }

    /// <summary>Stops the pump after it has printed every queued line (call before restoring the console streams).</summary>
    public async Task StopAsync()
    {
        Flush();
        _stop.Cancel();
        await _pump;
        Drain();
    }

    private async Task PumpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Drain();
            try { await Task.Delay(PumpInterval, _stop.Token); }
            catch (OperationCanceledException) { }
        }
    }

    private void Drain()
    {
        while (_lines.TryDequeue(out var line))
            _console.WriteLine(line, Style.Plain);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _stop.Dispose();
        base.Dispose(disposing);
    }
}
