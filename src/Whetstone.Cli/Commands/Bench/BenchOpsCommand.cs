using System.CommandLine;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>
/// <c>whet bench ops [--json] [--mib 32] [--reps 15]</c>: memory bandwidth of the element-wise, normalisation,
/// softmax, RoPE and loss kernels on arrays larger than the caches, as a fraction of a plain copy measured
/// in the same run.
/// </summary>
public static class BenchOpsCommand
{
    /// <summary>Builds the <c>ops</c> sub-verb of <c>bench</c>.</summary>
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var mib = new Option<int>("--mib") { Description = "Size of each array in MiB (keep it well above the L2/L3 caches).", DefaultValueFactory = _ => 32 };
        var reps = new Option<int>("--reps") { Description = "Timed repetitions per kernel; the median is reported.", DefaultValueFactory = _ => 15 };
        var command = new Command("ops", "Bandwidth (GB/s) of the SIMD kernels vs a plain memory copy. Example: whet bench ops --json");
        command.Options.Add(json);
        command.Options.Add(mib);
        command.Options.Add(reps);
        command.SetAction(parse =>
        {
            int size = parse.GetValue(mib), repetitions = parse.GetValue(reps);
            if (size < 1 || size > 1024) { Console.Error.WriteLine($"--mib must be between 1 and 1024, got {size}."); return 2; }
            if (repetitions < 1) { Console.Error.WriteLine($"--reps must be at least 1, got {repetitions}."); return 2; }
            var result = BenchOpsRunner.Run(size, repetitions, parse.GetValue(json) ? null : Console.Error);
            Console.WriteLine(parse.GetValue(json) ? BenchOpsReport.Json(result) : BenchOpsReport.Table(result));
            return 0;
        });
        return command;
    }
}
