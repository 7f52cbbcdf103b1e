using System.CommandLine;
using Whetstone.Agents.Formats;

namespace Whetstone.Cli.Commands;

/// <summary>
/// <c>whet convert --from openai --to adp in.jsonl out.jsonl</c>: converts trajectory files between Whetstone's
/// native JSONL, OpenAI fine-tuning JSONL, ShareGPT (LLaMA-Factory) and ADP, one line at a time. A malformed line
/// stops the conversion with <c>IN:line: field: problem</c> and leaves no output file.
/// </summary>
public static class ConvertCommand
{
    /// <summary>Builds the <c>convert</c> verb.</summary>
    public static Command Create()
    {
        var names = string.Join("|", TrajectoryFormats.All.Select(f => f.Name));
        var from = new Option<string>("--from") { Description = $"Input format: {names}", Required = true };
        var to = new Option<string>("--to") { Description = $"Output format: {names}", Required = true };
        var input = new Argument<string>("IN") { Description = "Input JSONL file" };
        var output = new Argument<string>("OUT") { Description = "Output JSONL file (written atomically)" };
        var command = new Command("convert", "Convert trajectory JSONL between whet, openai, sharegpt and adp formats. Example: whet convert --from openai --to adp train.jsonl train.adp.jsonl");
        command.Options.Add(from);
        command.Options.Add(to);
        command.Arguments.Add(input);
        command.Arguments.Add(output);
        command.SetAction(parse =>
        {
            try
            {
                var source = TrajectoryFormats.ByName(parse.GetValue(from)!);
                var target = TrajectoryFormats.ByName(parse.GetValue(to)!);
                var inPath = parse.GetValue(input)!;
                var outPath = parse.GetValue(output)!;
                var count = JsonlConverter.Convert(inPath, source, outPath, target);
                Console.Error.WriteLine($"converted {count} records: {inPath} ({source.Name}) -> {outPath} ({target.Name})");
                return 0;
            }
            catch (Exception e) when (e is FormatException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"whet convert: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
