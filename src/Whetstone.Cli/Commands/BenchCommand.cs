using System.CommandLine;

namespace Whetstone.Cli.Commands;

/// <summary><c>whet bench …</c>: performance benchmarks. Each sub-verb is one benchmark.</summary>
public static class BenchCommand
{
    /// <summary>Builds the <c>bench</c> verb with its sub-verbs.</summary>
    public static Command Create()
    {
        var bench = new Command("bench", "Measure kernels, training and generation. Example: whet bench gemm --json");
        bench.Subcommands.Add(Bench.BenchRolloutCommand.Create());
        bench.Subcommands.Add(Bench.BenchGemmCommand.Create());
        bench.Subcommands.Add(Bench.BenchTokenizerCommand.Create());
        bench.Subcommands.Add(Bench.BenchOpsCommand.Create());
        bench.Subcommands.Add(Bench.BenchGenerateCommand.Create());
        bench.Subcommands.Add(Bench.BenchServeCommand.Create());
        bench.Subcommands.Add(Bench.BenchLoraCommand.Create());
        bench.Subcommands.Add(Bench.BenchTrainCommand.Create());
        return bench;
    }
}
