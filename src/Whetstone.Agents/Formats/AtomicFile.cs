using System.Text;

namespace Whetstone.Agents.Formats;

/// <summary>
/// A text file that appears at its path only when <see cref="Commit"/> is called: it is written to a temporary file
/// in the same folder (so the final rename is atomic on one file system) and deleted if disposed uncommitted.
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private readonly string _path;
    private readonly string _tempPath;
    private bool _committed;

    private AtomicFile(string path)
    {
        _path = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(_path)!;
        Directory.CreateDirectory(dir);
        _tempPath = Path.Combine(dir, $".{Path.GetFileName(_path)}.{Guid.NewGuid():N}.tmp");
        Writer = new StreamWriter(_tempPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>Starts writing the file that will be at <paramref name="path"/>.</summary>
    public static AtomicFile Create(string path) => new(path);

    /// <summary>Where to write the content.</summary>
    public StreamWriter Writer { get; }

    /// <summary>The temporary file being written (exposed for tests and diagnostics).</summary>
    public string TempPath => _tempPath;

    /// <summary>Flushes the content to disk and renames the temporary file over the final path.</summary>
    public void Commit()
    {
        Writer.Flush();
        ((FileStream)Writer.BaseStream).Flush(flushToDisk: true);
        Writer.Dispose();
        File.Move(_tempPath, _path, overwrite: true);
        _committed = true;
    }

    /// <summary>Deletes the temporary file unless <see cref="Commit"/> succeeded.</summary>
    public void Dispose()
    {
        if (_committed) return;
        Writer.Dispose();
        try { File.Delete(_tempPath); } catch (IOException) { } // best effort: the original error matters more
    }
}
