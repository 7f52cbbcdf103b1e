using System.CommandLine;

namespace Whetstone.Cli.Commands;

/// <summary>The verbs of <c>whet</c>. Each verb is built by its own file in this folder.</summary>
public static class WhetCommands
{
    /// <summary>Every top-level verb, in the order <c>whet --help</c> lists them.</summary>
    public static IEnumerable<Command> All()
    {
        yield return DemoCommand.Create();
        yield return TrainCommand.Create();
        yield return RolloutCommand.Create();
        yield return EvalCommand.Create();
        yield return ServeCommand.Create();
        yield return ChatCommand.Create();
        yield return GenerateCommand.Create();
        yield return ConvertCommand.Create();
        yield return ExportCommand.Create();
        yield return BenchCommand.Create();
        yield return ReportCommand.Create();
        yield return EnvsCommand.Create();
        yield return TokenizeCommand.Create();
        yield return TemplateCommand.Create();
    }
}
