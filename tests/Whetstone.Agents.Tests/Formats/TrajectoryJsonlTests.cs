using Whetstone.Agents.Formats;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Formats;

public sealed class TrajectoryJsonlTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("whet-jsonl-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Write_then_read_gives_back_every_trajectory()
    {
        var path = Path.Combine(_dir, "out.jsonl");
        var items = new[] { SampleTrajectories.Full(), SampleTrajectories.Chat() };
        TrajectoryJsonl.Write(path, items);
        var back = TrajectoryJsonl.Read(path).ToList();
        Assert.Equal(2, back.Count);
        TrajectoryAssert.Equal(items[0], back[0]);
        TrajectoryAssert.Equal(items[1], back[1]);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void Reader_reports_file_line_and_field()
    {
        var path = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllLines(path, [TrajectoryJsonl.ToLine(SampleTrajectories.Chat()), "", """{"id":"x","steps":[{"kind":"action","weight":"one"}]}"""]);
        var e = Assert.Throws<JsonlFormatException>(() => TrajectoryJsonl.Read(path).ToList());
        Assert.Equal(3, e.Line);
        Assert.Equal("steps[0].weight", e.Field);
        Assert.StartsWith($"{path}:3: steps[0].weight: expected an integer", e.Message);
    }

    [Fact]
    public void Reader_reports_invalid_json()
    {
        var path = Path.Combine(_dir, "broken.jsonl");
        File.WriteAllText(path, "{\"id\":\"x\",\"steps\":[]}\n{\"id\": \n[1,2]\n");
        var e = Assert.Throws<JsonlFormatException>(() => TrajectoryJsonl.Read(path).ToList());
        Assert.Equal(2, e.Line);
        Assert.Equal("(line)", e.Field);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void Reader_streams_lines_before_a_later_error()
    {
        var path = Path.Combine(_dir, "partial.jsonl");
        File.WriteAllLines(path, [TrajectoryJsonl.ToLine(SampleTrajectories.Chat()), "[]"]);
        using var e = TrajectoryJsonl.Read(path).GetEnumerator();
        Assert.True(e.MoveNext());
        Assert.Equal("chat-1", e.Current.Id);
        var error = Assert.Throws<JsonlFormatException>(() => e.MoveNext());
        Assert.Contains("expected a JSON object, found an array", error.Message);
    }

    [Fact]
    public async Task Streaming_writer_appends_one_whole_line_per_episode_from_many_threads()
    {
        var path = Path.Combine(_dir, "episodes.jsonl");
        await using (var writer = new TrajectoryJsonlWriter(path))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, 64), async (i, ct) =>
            {
                var t = SampleTrajectories.Full() with { Id = $"ep-{i}" };
                if (i % 2 == 0) await writer.WriteAsync(t, ct);
                else writer.Write(t);
            });
            Assert.Equal(64, writer.Count);
        }
        var ids = TrajectoryJsonl.Read(path).Select(t => t.Id).OrderBy(s => s, StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"ep-{i}").OrderBy(s => s, StringComparer.Ordinal), ids);
    }

    [Fact]
    public void Streaming_writer_flushes_each_line_before_it_is_closed()
    {
        var path = Path.Combine(_dir, "live.jsonl");
        using var writer = new TrajectoryJsonlWriter(path);
        writer.Write(SampleTrajectories.Chat());
        // Another reader sees the finished episode while the writer is still open (as after a crash).
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var line = reader.ReadLine();
        Assert.NotNull(line);
        Assert.Equal("chat-1", TrajectoryJsonl.FromLine(line).Id);
    }

    [Fact]
    public void Streaming_writer_appends_to_an_existing_file()
    {
        var path = Path.Combine(_dir, "resume.jsonl");
        using (var w = new TrajectoryJsonlWriter(path)) w.Write(SampleTrajectories.Chat() with { Id = "a" });
        using (var w = new TrajectoryJsonlWriter(path)) w.Write(SampleTrajectories.Chat() with { Id = "b" });
        Assert.Equal(["a", "b"], TrajectoryJsonl.Read(path).Select(t => t.Id));
    }

    [Fact]
    public void Appending_after_a_crash_drops_the_cut_off_line_instead_of_gluing_onto_it()
    {
        var path = Path.Combine(_dir, "crashed.jsonl");
        var whole = TrajectoryJsonl.ToLine(SampleTrajectories.Chat() with { Id = "a" }) + "\n";
        var cut = TrajectoryJsonl.ToLine(SampleTrajectories.Full())[..50];
        File.WriteAllText(path, whole + cut);
        using (var w = new TrajectoryJsonlWriter(path))
        {
            Assert.Equal(50, w.DroppedPartialLineBytes);
            w.Write(SampleTrajectories.Chat() with { Id = "b" });
        }
        Assert.Equal(["a", "b"], TrajectoryJsonl.Read(path).Select(t => t.Id));

        File.WriteAllText(path, cut); // only a partial line
        using (var w = new TrajectoryJsonlWriter(path)) Assert.Equal(50, w.DroppedPartialLineBytes);
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void Atomic_write_leaves_nothing_when_a_trajectory_fails()
    {
        var path = Path.Combine(_dir, "atomic.jsonl");
        IEnumerable<Trajectory> Items()
        {
            yield return SampleTrajectories.Chat();
            throw new InvalidOperationException("boom");
        }
        Assert.Throws<InvalidOperationException>(() => TrajectoryJsonl.Write(path, Items()));
        Assert.Empty(Directory.GetFiles(_dir));
    }
}
