using System.CommandLine;
using System.Globalization;
using Whetstone.Training.Checkpointing;
using Whetstone.Training.Export;

namespace Whetstone.Cli.Commands.Export;

/// <summary>
/// <c>whet export checkpoint --run RUN_DIR [--step N|latest] --out DIR [--force]</c>: a training checkpoint as a Hugging
/// Face model directory (<see cref="CheckpointExporter"/>); LoRA checkpoints are merged into the run's base model.
/// </summary>
public static class ExportCheckpointCommand
{
    /// <summary>Builds the <c>export checkpoint</c> sub-verb.</summary>
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "The training run's output_dir (holds checkpoints/, config.json and, once finished, final/)", Required = true };
        var step = new Option<string>("--step") { Description = "Step to export: N (folder checkpoints/step-00000N) or latest (the one checkpoints/latest names)", DefaultValueFactory = _ => "latest" };
        var output = new Option<string>("--out") { Description = "Model directory to create (config.json, model.safetensors, tokenizer files)", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace --out when it exists and is not empty" };
        var cmd = new Command("checkpoint",
            "Turn a training checkpoint into a model directory for eval --policy local:DIR, serve --model DIR or model.path. " +
            "The weights are checked against the checkpoint's manifest (SHA-256) and the model config; the config and tokenizer " +
            "come from RUN_DIR/final, else from the recipe's model.path or model.shape + model.tokenizer. A LoRA checkpoint holds " +
            "only the adapters: they are merged into the base model (model.path), so DIR is a full model and needs no --adapter. " +
            "Example: whet export checkpoint --run runs/sft-calc-tiny --step 500 --out models/sft-calc-step500");
        cmd.Options.Add(run);
        cmd.Options.Add(step);
        cmd.Options.Add(output);
        cmd.Options.Add(force);
        cmd.SetAction(parse =>
        {
            var stepText = parse.GetValue(step)!;
            if (!TryParseStep(stepText, out long? stepNumber))
            {
                Console.Error.WriteLine($"export checkpoint: --step must be a step number or latest, not '{stepText}'.");
                return 2;
            }
            try
            {
                var result = CheckpointExporter.Export(new CheckpointExportOptions
                {
                    RunDirectory = parse.GetValue(run)!,
                    Step = stepNumber,
                    OutputDirectory = parse.GetValue(output)!,
                    Force = parse.GetValue(force),
                });
                Print(result);
                return 0;
            }
            catch (Exception e) when (e is CheckpointExportException or CorruptCheckpointException or IOException
                or InvalidDataException or UnauthorizedAccessException or KeyNotFoundException)
            {
                Console.Error.WriteLine($"export checkpoint: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }

    /// <summary>latest → null; 500 or step-000500 → 500.</summary>
    private static bool TryParseStep(string text, out long? step)
    {
        step = null;
        if (string.Equals(text, "latest", StringComparison.OrdinalIgnoreCase)) return true;
        var digits = text.StartsWith("step-", StringComparison.Ordinal) ? text["step-".Length..] : text;
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long n)) return false;
        step = n;
        return true;
    }

    private static void Print(CheckpointExportResult r)
    {
        Console.Out.WriteLine($"wrote {r.OutputDirectory}");
        Console.Out.WriteLine($"  checkpoint  {r.CheckpointDirectory} (step {r.Step}; weights match its manifest)");
        Console.Out.WriteLine(r.MergedLora is { } lora
            ? $"  weights     LoRA r={lora.Rank}, alpha {lora.Alpha.ToString(CultureInfo.InvariantCulture)} on {string.Join(",", lora.TargetModules)}, " +
              $"merged into {r.BaseModelDirectory} (a full model: no --adapter needed)"
            : "  weights     full model (f32)");
        Console.Out.WriteLine($"  config      {r.ConfigSource}");
        Console.Out.WriteLine($"  tokenizer   {r.TokenizerDirectory}");
        Console.Out.WriteLine($"  parameters  {r.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)}");
        Console.Out.WriteLine($"  files       {string.Join(", ", r.Files)}");
    }
}
