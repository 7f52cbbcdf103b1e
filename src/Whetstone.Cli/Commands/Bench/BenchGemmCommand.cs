using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Whetstone.Tensors.Kernels;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>
/// <c>whet bench gemm [--json] [--threads 1,2] [--repeat N] [--filter TEXT]</c>: median GFLOP/s of Whetstone's
/// GEMM on square and transformer shapes, beside OpenBLAS's cblas_sgemm measured in the same run when a
/// libopenblas can be loaded (its columns are null otherwise).
/// </summary>
public static class BenchGemmCommand
{
    /// <summary>Builds the <c>gemm</c> sub-verb of <c>bench</c>.</summary>
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object with a results array instead of a table." };
        var threads = new Option<string>("--threads")
        {
            Description = "Comma-separated thread counts to measure, e.g. 1,2.",
            DefaultValueFactory = _ => "1,2",
        };
        var repeat = new Option<int>("--repeat")
        {
            Description = "Timed samples per shape and library (median reported).",
            DefaultValueFactory = _ => 5,
        };
        var filter = new Option<string?>("--filter") { Description = "Only shapes whose name contains this text, e.g. 'NT' or '1024x1024x1024'." };
        var custom = new Option<string?>("--shapes") { Description = "Measure these shapes instead: 'MxNxK OP' separated by ';', e.g. '256x256x256 NN;512x1024x4096 TN'." };

        var command = new Command("gemm", "GEMM GFLOP/s (median) on square and transformer shapes, with OpenBLAS side by side when installed. Example: whet bench gemm --filter NT --json");
        command.Options.Add(json);
        command.Options.Add(threads);
        command.Options.Add(repeat);
        command.Options.Add(filter);
        command.Options.Add(custom);
        command.SetAction(parse =>
        {
            if (!TryParseThreads(parse.GetValue(threads)!, out var threadCounts, out string? error))
            {
                Console.Error.WriteLine($"--threads: {error}");
                return 2;
            }
            int repeats = parse.GetValue(repeat);
            if (repeats < 1)
            {
                Console.Error.WriteLine($"--repeat: must be at least 1, got {repeats}.");
                return 2;
            }
            string? only = parse.GetValue(filter);
            IReadOnlyList<GemmBenchShape> candidates = GemmBenchmark.DefaultShapes();
            if (parse.GetValue(custom) is string list)
            {
                if (!GemmBenchShape.TryParseList(list, out var parsed, out string? shapeError))
                {
                    Console.Error.WriteLine($"--shapes: {shapeError}");
                    return 2;
                }
                candidates = parsed;
            }
            var shapes = candidates.Where(s => only is null || s.Name.Contains(only, StringComparison.OrdinalIgnoreCase)).ToList();
            if (shapes.Count == 0)
            {
                Console.Error.WriteLine($"--filter: no shape name contains '{only}'.");
                return 2;
            }

            var openBlas = OpenBlasSgemm.TryLoad();
            bool asJson = parse.GetValue(json);
            if (!asJson)
            {
                Console.WriteLine($"Whetstone GEMM: {Gemm.Implementation}");
                Console.WriteLine($"OpenBLAS: {openBlas?.Description ?? "not found (install libopenblas0 to compare)"}");
                Console.WriteLine($"Median of {repeats} samples; 2·m·n·k flops; shape is MxNxK and op(A) op(B) (N = as stored, T = transposed).");
                Console.WriteLine();
                Console.WriteLine($"{"shape",-20} {"threads",7} {"GFLOP/s",9} {"OpenBLAS",9} {"ratio",6}");
            }
            var results = GemmBenchmark.Run(shapes, threadCounts, repeats, openBlas,
                progress: asJson ? null : r => Console.WriteLine(
                    $"{r.Shape,-20} {r.Threads,7} {r.Gflops,9:F1} {Format(r.OpenBlasGflops, "F1"),9} {Format(r.Ratio, "F2"),6}"));
            if (asJson)
                Console.WriteLine(ToJson(results, openBlas, repeats));
            return 0;
        });
        return command;
    }

    private static string Format(double? value, string format) =>
        value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static bool TryParseThreads(string text, out List<int> counts, out string? error)
    {
        counts = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > 1024)
            {
                error = $"'{part}' is not a thread count between 1 and 1024 (expected e.g. 1,2).";
                return false;
            }
            counts.Add(n);
        }
        error = counts.Count == 0 ? "give at least one thread count, e.g. 1,2." : null;
        return counts.Count > 0;
    }

    private static string ToJson(List<GemmBenchResult> results, OpenBlasSgemm? openBlas, int repeats)
    {
        var document = new
        {
            benchmark = "gemm",
            implementation = Gemm.Implementation,
            openblas = openBlas?.Description,
            repeat = repeats,
            results = results.Select(r => new
            {
                shape = r.Shape,
                threads = r.Threads,
                gflops = Math.Round(r.Gflops, 2),
                openblas_gflops = r.OpenBlasGflops is double b ? Math.Round(b, 2) : (double?)null,
                ratio = r.Ratio is double x ? Math.Round(x, 3) : (double?)null,
            }),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true });
    }
}
