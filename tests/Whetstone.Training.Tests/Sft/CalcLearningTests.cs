using Whetstone.Training.Sft;
using Xunit.Abstractions;

namespace Whetstone.Training.Tests.Sft;

/// <summary>Set WHET_LONG_TESTS=1 to run a test marked with this attribute (minutes long; not part of CI).</summary>
public sealed class LongRunFactAttribute : FactAttribute
{
    public LongRunFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("WHET_LONG_TESTS") != "1") Skip = "long run: set WHET_LONG_TESTS=1";
    }
}

public sealed class CalcLearningTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sft_from_scratch_solves_held_out_calc_tasks_the_untrained_model_cannot()
    {
        var outcome = await new CalcLearningRun().RunAsync();
        output.WriteLine(outcome.Summary);
        // Untrained: never solves a task and never writes a well-formed call that works.
        Assert.Equal(0, outcome.Before.Successes);
        Assert.Equal(outcome.Before.ToolCalls, outcome.Before.InvalidToolCalls);
        // After ~40 s of SFT (200 steps): the tool-call format is learned (most calls valid) and held-out tasks get
        // solved (11/200 on the build machine; the arithmetic copying needs the longer run, see the readme).
        Assert.True(outcome.After.Successes >= 4, outcome.Summary);
        Assert.True(outcome.After.ToolCalls >= outcome.After.Episodes, outcome.Summary);
        Assert.True(outcome.After.InvalidToolCallRate < 0.3, outcome.Summary);
    }

    /// <summary>
    /// The longer run of the readme. Sizes come from WHET_SFT_STEPS, WHET_SFT_LAYERS, WHET_SFT_HIDDEN, WHET_SFT_LR,
    /// WHET_SFT_TASKS, WHET_SFT_BATCH (sequences per step), WHET_SFT_LOSS (ce | dft), WHET_SFT_OUT (a run directory: metrics.jsonl and a progress line).
    /// </summary>
    [LongRunFact]
    public async Task Longer_calc_sft_run()
    {
        static int Int(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out var v) ? v : fallback;
        var run = new CalcLearningRun
        {
            Steps = Int("WHET_SFT_STEPS", 1500), Layers = Int("WHET_SFT_LAYERS", 2), Hidden = Int("WHET_SFT_HIDDEN", 128),
            TrainTasks = Int("WHET_SFT_TASKS", 2000), TestTasks = 200, SequencesPerStep = Int("WHET_SFT_BATCH", 8),
            LearningRate = float.TryParse(Environment.GetEnvironmentVariable("WHET_SFT_LR"), System.Globalization.CultureInfo.InvariantCulture, out var lr) ? lr : 2e-3f,
            OutputDir = Environment.GetEnvironmentVariable("WHET_SFT_OUT"),
            Loss = Environment.GetEnvironmentVariable("WHET_SFT_LOSS") == "dft" ? SftLoss.Dft : SftLoss.CrossEntropy,
        };
        var outcome = await run.RunAsync();
        output.WriteLine(outcome.Summary);
        Console.Error.WriteLine(outcome.Summary);
        Assert.True(outcome.After.Successes > outcome.Before.Successes, outcome.Summary);
    }
}
