using Whetstone.Training.Progress;

namespace Whetstone.Training.Tests.Metrics;

public class ProgressLineTests
{
    /// <summary>A clock the test advances by hand, so nothing depends on real time.</summary>
    private sealed class FakeClock
    {
        public TimeSpan Now;
        public TimeSpan Read() => Now;
    }

    [Fact]
    public void NonInteractivePrintsTheFirstStepThenOncePerIntervalAndTheLastStep()
    {
        var clock = new FakeClock();
        var output = new StringWriter();
        var progress = new ProgressLine(output, totalSteps: 10, interactive: false, interval: TimeSpan.FromSeconds(3), clock: clock.Read);
        for (int step = 1; step <= 10; step++)
        {
            clock.Now += TimeSpan.FromSeconds(1);
            progress.Report(step, loss: 1.0 / step, tokens: 100);
        }
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["step 1/10", "step 4/10", "step 7/10", "step 10/10"], lines.Select(l => l.Split(" (")[0]));
        Assert.Equal("step 4/10 (40.0%) | loss 0.2500 | 100 tok/s | 1.00 s/step | ETA 6s", lines[1]);
        Assert.DoesNotContain('\r', output.ToString());
    }

    [Fact]
    public void InteractiveRewritesOneLineInPlaceAndEndsItAtTheLastStep()
    {
        var clock = new FakeClock();
        var output = new StringWriter();
        var progress = new ProgressLine(output, totalSteps: 2, interactive: true, clock: clock.Read);
        clock.Now += TimeSpan.FromSeconds(2);
        progress.Report(1, 3.0, 10);
        clock.Now += TimeSpan.FromSeconds(2);
        progress.Report(2, 2.0, 10);
        var text = output.ToString();
        Assert.StartsWith("\rstep 1/2 (50.0%) | loss 3.0000 | 5 tok/s | 2.00 s/step | ETA 2s\rstep 2/2 (100.0%)", text);
        Assert.EndsWith("ETA 0s" + Environment.NewLine, text);
    }

    [Fact]
    public void TheEtaFollowsAnExponentialMovingAverageOfStepTime()
    {
        var average = new StepTimeAverage(smoothing: 0.5);
        average.Add(4, 100);
        average.Add(2, 300);
        Assert.Equal(3, average.SecondsPerStep);
        Assert.Equal(200, average.TokensPerStep);
        Assert.Equal(TimeSpan.FromSeconds(30), average.EstimateRemaining(10));
    }

    [Theory]
    [InlineData(42, "42s")]
    [InlineData(750, "12m30s")]
    [InlineData(3 * 3600 + 5 * 60, "3h05m")]
    [InlineData(2 * 86400 + 4 * 3600, "2d04h")]
    public void DurationsReadNaturally(int seconds, string expected) =>
        Assert.Equal(expected, ProgressLine.FormatDuration(TimeSpan.FromSeconds(seconds)));
}
