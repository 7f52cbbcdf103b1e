using System.CommandLine;
using System.Globalization;
using Whetstone.Cli.Commands.Export;
using Whetstone.Models.Gguf;

namespace Whetstone.Cli.Commands;

/// <summary>
/// <c>whet export gguf --model DIR --out FILE [--dtype f16|f32]</c>: a Hugging Face model directory (Llama,
/// Qwen2, Qwen3) as one GGUF file for llama.cpp and Ollama; the file's header is read back before the summary.
/// <c>whet export gguf-info FILE</c>: the metadata and tensor table of a GGUF file.
/// <c>whet export checkpoint --run RUN_DIR [--step N] --out DIR</c>: a training checkpoint as a model directory
/// (<see cref="ExportCheckpointCommand"/>).
/// </summary>
public static class ExportCommand
{
    /// <summary>Builds the <c>export</c> verb and its sub-verbs.</summary>
    public static Command Create()
    {
        var cmd = new Command("export", "Export a model for other runtimes, or a training checkpoint as a model directory. Example: whet export gguf --model runs/sft/final --out model.gguf");
        cmd.Subcommands.Add(Gguf());
        cmd.Subcommands.Add(GgufInfo());
        cmd.Subcommands.Add(ExportCheckpointCommand.Create());
        return cmd;
    }

    private static Command Gguf()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model directory (config.json, model.safetensors, tokenizer.json)", Required = true };
        var output = new Option<string>("--out") { Description = "GGUF file to write", Required = true };
        var dtype = new Option<string>("--dtype") { Description = "Storage of matrices: f16 or f32 (norms and biases are always f32)", DefaultValueFactory = _ => "f16" };
        var name = new Option<string?>("--name") { Description = "general.name (default: the directory's name)" };
        var pre = new Option<string?>("--tokenizer-pre") { Description = "tokenizer.ggml.pre to write instead of the detected one (qwen2, llama-bpe, smollm, gpt-2, default)" };
        var cmd = new Command("gguf", "Write a GGUF file (llama.cpp, Ollama). Example: whet export gguf --model models/Qwen3-0.6B --out qwen3.gguf --dtype f16");
        cmd.Options.Add(model);
        cmd.Options.Add(output);
        cmd.Options.Add(dtype);
        cmd.Options.Add(name);
        cmd.Options.Add(pre);
        cmd.SetAction(parse =>
        {
            var type = parse.GetValue(dtype)?.ToLowerInvariant() switch
            {
                "f16" => GgufTensorType.F16,
                "f32" => GgufTensorType.F32,
                var other => (GgufTensorType?)null,
            };
            if (type is null)
            {
                Console.Error.WriteLine($"export gguf: --dtype must be f16 or f32, not '{parse.GetValue(dtype)}'.");
                return 2;
            }
            try
            {
                var options = new GgufExportOptions { DType = type.Value, Name = parse.GetValue(name), TokenizerPre = parse.GetValue(pre) };
                var result = GgufExporter.Export(parse.GetValue(model)!, parse.GetValue(output)!, options);
                using var check = GgufFile.Open(result.Path);
                if (check.Tensors.Count != result.TensorCount)
                    throw new InvalidDataException($"{result.Path}: read back {check.Tensors.Count} tensors, wrote {result.TensorCount}.");
                Console.Out.WriteLine($"wrote {result.Path}");
                Console.Out.WriteLine($"  architecture  {result.Architecture}");
                Console.Out.WriteLine($"  dtype         {result.DType} (1-D tensors F32)");
                Console.Out.WriteLine($"  tensors       {result.TensorCount} ({result.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)} parameters)");
                Console.Out.WriteLine($"  vocabulary    {result.VocabularySize} tokens, pre-tokenizer {result.TokenizerPre}");
                Console.Out.WriteLine($"  size          {Size(result.FileBytes)} ({check.Keys.Count} metadata keys; header read back)");
                foreach (var w in result.Warnings)
                    Console.Out.WriteLine($"  warning: {w}");
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or KeyNotFoundException)
            {
                Console.Error.WriteLine($"export gguf: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }

    private static Command GgufInfo()
    {
        var file = new Argument<string>("file") { Description = "GGUF file" };
        var cmd = new Command("gguf-info", "Print a GGUF file's metadata and tensor table. Example: whet export gguf-info qwen3.gguf");
        cmd.Arguments.Add(file);
        cmd.SetAction(parse =>
        {
            try
            {
                using var f = GgufFile.Open(parse.GetValue(file)!);
                Console.Out.WriteLine($"{f.Path}: GGUF v{f.Version}, {Size(f.Length)}, alignment {f.Alignment}, data at byte {f.DataOffset}");
                foreach (var key in f.Keys)
                    Console.Out.WriteLine($"  {key} = {f.Metadata[key]}");
                Console.Out.WriteLine($"{f.Tensors.Count} tensors:");
                foreach (var t in f.Tensors)
                    Console.Out.WriteLine($"  {t.Name,-32} {t.Type,-4} [{string.Join(", ", t.Dimensions)}] @ {t.Offset}");
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"export gguf-info: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        _ => $"{bytes / 1024.0:F1} KiB",
    };
}
