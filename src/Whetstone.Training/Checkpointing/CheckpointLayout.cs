using System.Globalization;

namespace Whetstone.Training.Checkpointing;

/// <summary>File and folder names of a run's checkpoints (see docs/checkpoints.md).</summary>
internal static class CheckpointLayout
{
    public const string CheckpointsFolder = "checkpoints";
    public const string LatestPointer = "latest";
    public const string Manifest = "manifest.json";
    public const string OptimizerTensors = "optimizer.safetensors";
    public const string OptimizerJson = "optimizer.json";
    public const string TrainerState = "trainer_state.json";
    public const string TrainingConfig = "training_config.json";
    public const string StepPrefix = "step-";
    public const string PartialSuffix = ".partial";
    public const string DeletingSuffix = ".deleting";

    /// <summary>PyTorch's names for AdamW's moments, appended to the parameter name.</summary>
    public const string FirstMomentSuffix = ".exp_avg";
    public const string SecondMomentSuffix = ".exp_avg_sq";

    /// <summary><c>step-000120</c>: zero-padded so that names sort by step up to a million steps.</summary>
    public static string FolderName(long step) => StepPrefix + step.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The step of a folder named <c>step-N</c>, or null for any other name.</summary>
    public static long? ParseStep(string folderName)
    {
        if (!folderName.StartsWith(StepPrefix, StringComparison.Ordinal)) return null;
        var digits = folderName.AsSpan(StepPrefix.Length);
        if (digits.Length == 0) return null;
        foreach (char c in digits)
            if (!char.IsAsciiDigit(c)) return null;
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long step) ? step : null;
    }
}
