using Whetstone.Agents.Formats;

namespace Whetstone.Agents.Tests.Formats;

public sealed class JsonlConverterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("whet-convert-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Converts_every_line_and_back()
    {
        var whet = PathOf("in.jsonl");
        TrajectoryJsonl.Write(whet, [SampleTrajectories.Full(), SampleTrajectories.Chat()]);
        Assert.Equal(2, JsonlConverter.Convert(whet, WhetTrajectoryFormat.Instance, PathOf("adp.jsonl"), AdpFormat.Instance));
        Assert.Equal(2, JsonlConverter.Convert(PathOf("adp.jsonl"), AdpFormat.Instance, PathOf("back.jsonl"), WhetTrajectoryFormat.Instance));
        Assert.Equal(File.ReadAllText(whet), File.ReadAllText(PathOf("back.jsonl")));
    }

    [Fact]
    public void Openai_lines_get_ids_from_file_name_and_line()
    {
        File.WriteAllText(PathOf("data.jsonl"), "\n" + """{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}""" + "\n");
        JsonlConverter.Convert(PathOf("data.jsonl"), OpenAiChatFormat.Instance, PathOf("out.jsonl"), WhetTrajectoryFormat.Instance);
        Assert.Equal("data-2", Assert.Single(TrajectoryJsonl.Read(PathOf("out.jsonl"))).Id);
    }

    [Fact]
    public void Malformed_line_fails_with_its_location_and_leaves_no_output()
    {
        var input = PathOf("bad.jsonl");
        File.WriteAllLines(input,
        [
            """{"messages":[{"role":"user","content":"hi"}]}""",
            """{"messages":[{"role":"user","content":"hi"}]}""",
            """{"messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f"}}]}]}""",
        ]);
        var e = Assert.Throws<JsonlFormatException>(() =>
            JsonlConverter.Convert(input, OpenAiChatFormat.Instance, PathOf("out.jsonl"), ShareGptFormat.Instance));
        Assert.Equal($"{input}:3: messages[0].tool_calls[0].function.arguments: is required (a string)", e.Message);
        Assert.Equal(["bad.jsonl"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Failed_conversion_leaves_an_existing_output_untouched()
    {
        File.WriteAllText(PathOf("bad.jsonl"), "not json\n");
        File.WriteAllText(PathOf("out.jsonl"), "previous\n");
        Assert.Throws<JsonlFormatException>(() =>
            JsonlConverter.Convert(PathOf("bad.jsonl"), AdpFormat.Instance, PathOf("out.jsonl"), OpenAiChatFormat.Instance));
        Assert.Equal("previous\n", File.ReadAllText(PathOf("out.jsonl")));
        Assert.Equal(2, Directory.GetFiles(_dir).Length);
    }

    [Fact]
    public void Formats_are_found_by_name()
    {
        Assert.Same(ShareGptFormat.Instance, TrajectoryFormats.ByName("ShareGPT"));
        var e = Assert.Throws<ArgumentException>(() => TrajectoryFormats.ByName("alpaca"));
        Assert.Contains("whet, openai, sharegpt, adp", e.Message);
    }
}
