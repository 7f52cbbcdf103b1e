using System.Text;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Formats;

/// <summary>
/// Appends finished episodes to a JSONL file, one line each, flushed to the operating system as soon as it is
/// written. Safe to call from many rollout workers at once: lines never interleave. A crash loses at most the episodes
/// still in flight, and an interrupted run can be resumed by appending to the same file.
/// </summary>
/// <remarks>
/// Unlike <see cref="TrajectoryJsonl.Write"/> this writes in place (append), because episodes must survive a crash
/// mid-run; a line is written with a single call so a partial line can only be the last one, and reopening the file
/// for append removes such a line (see <see cref="DroppedPartialLineBytes"/>).
/// </remarks>
public sealed class TrajectoryJsonlWriter : IDisposable, IAsyncDisposable
{
    private readonly FileStream _stream;
    private readonly ITrajectoryFormat _format;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly bool _flushToDisk;
    private bool _disposed;

    /// <summary>Opens <paramref name="path"/> for appending (creating it and its folder if needed).</summary>
    /// <param name="path">The JSONL file.</param>
    /// <param name="format">Record format; Whetstone's native one by default.</param>
    /// <param name="append">False to truncate an existing file instead of appending to it.</param>
    /// <param name="flushToDisk">True to also force each line to the disk (survives power loss, slower).</param>
    public TrajectoryJsonlWriter(string path, ITrajectoryFormat? format = null, bool append = true, bool flushToDisk = false)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        if (append) DroppedPartialLineBytes = DropPartialLastLine(full);
        _stream = new FileStream(full, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read);
        _format = format ?? WhetTrajectoryFormat.Instance;
        _flushToDisk = flushToDisk;
        FilePath = full;
    }

    /// <summary>The full path of the file being written.</summary>
    public string FilePath { get; }

    /// <summary>
    /// Bytes of an unfinished last line that opening for append removed (a line cut off by a crash mid-write); 0 when
    /// the file ended cleanly. Without this, the next episode would be glued onto the broken line.
    /// </summary>
    public long DroppedPartialLineBytes { get; }

    /// <summary>Number of trajectories written by this writer.</summary>
    public int Count { get; private set; }

    /// <summary>Appends one trajectory as one line and flushes it.</summary>
    public void Write(Trajectory trajectory)
    {
        var bytes = Encode(trajectory);
        _gate.Wait();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _stream.Write(bytes);
            _stream.Flush(_flushToDisk);
            Count++;
        }
        finally { _gate.Release(); }
    }

    /// <summary>Appends one trajectory as one line and flushes it, without blocking a thread while waiting.</summary>
    public async Task WriteAsync(Trajectory trajectory, CancellationToken cancellationToken = default)
    {
        var bytes = Encode(trajectory);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await _stream.WriteAsync(bytes, CancellationToken.None).ConfigureAwait(false); // never half a line
            if (_flushToDisk) _stream.Flush(true);
            else await _stream.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            Count++;
        }
        finally { _gate.Release(); }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _gate.Wait();
        try
        {
            if (_disposed) return;
            _disposed = true;
            _stream.Dispose();
        }
        finally { _gate.Release(); }
    }

    /// <summary>Closes the file.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static long DropPartialLastLine(string path)
    {
        if (!File.Exists(path)) return 0;
        using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var end = f.Length;
        if (end == 0) return 0;
        var buffer = new byte[4096];
        var pos = end;
        while (pos > 0)
        {
            var n = (int)Math.Min(buffer.Length, pos);
            f.Position = pos - n;
            f.ReadExactly(buffer, 0, n);
            var newline = Array.LastIndexOf(buffer, (byte)'\n', n - 1, n);
            if (newline >= 0)
            {
                var keep = pos - n + newline + 1;
                if (keep == end) return 0;
                f.SetLength(keep);
                return end - keep;
            }
            pos -= n;
        }
        f.SetLength(0);
        return end;
    }

    // Serialized outside the lock so that workers only queue for the write itself.
    private byte[] Encode(Trajectory trajectory) =>
        Encoding.UTF8.GetBytes(TrajectoryJsonl.ToLine(trajectory, _format) + "\n");
}
