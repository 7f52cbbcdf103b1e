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
        Assert.Equal(0, outcome.Before.Successes);
        Assert.True(outcome.After.SuccessInterval.Low > 0.05, outcome.Summary);
    }

    /// <summary>
    /// The longer run of the readme. Sizes come from WHET_SFT_STEPS, WHET_SFT_LAYERS, WHET_SFT_HIDDEN, WHET_SFT_LR,
    /// WHET_SFT_TASKS, WHET_SFT_OUT (a run directory: metrics.jsonl and a progress line).
    /// </summary>
    [LongRunFact]
    public async Task Longer_calc_sft_run()
    {
        static int Int(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out var v) ? v : fallback;
        var run = new CalcLearningRun
        {
            Steps = Int("WHET_SFT_STEPS", 1500), Layers = Int("WHET_SFT_LAYERS", 4), Hidden = Int("WHET_SFT_HIDDEN", 128),
            TrainTasks = Int("WHET_SFT_TASKS", 2000), TestTasks = 200,
            LearningRate = float.TryParse(Environment.GetEnvironmentVariable("WHET_SFT_LR"), System.Globalization.CultureInfo.InvariantCulture, out var lr) ? lr : 2e-3f,
            OutputDir = Environment.GetEnvironmentVariable("WHET_SFT_OUT"),
        };
        var outcome = await run.RunAsync();
        output.WriteLine(outcome.Summary);
        Console.Error.WriteLine(outcome.Summary);
        Assert.True(outcome.After.Successes > outcome.Before.Successes, outcome.Summary);
    }
}
