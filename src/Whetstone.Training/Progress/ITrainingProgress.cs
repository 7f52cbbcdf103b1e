namespace Whetstone.Training.Progress;

/// <summary>
/// Where a trainer reports its steps: <see cref="ProgressLine"/> on standard error by default, or a live display the
/// caller supplies through a config's <c>ProgressSink</c> (the <c>whet</c> CLI draws a Spectre.Console bar). A sink may
/// be started several times: the demo runs SFT and then GRPO through one sink, and each RFT round trains anew.
/// </summary>
public interface ITrainingProgress
{
    /// <summary>A run of <paramref name="totalSteps"/> steps begins (called once before its first <see cref="Report"/>).</summary>
    /// <param name="totalSteps">The step count at which this run ends.</param>
    void Start(long totalSteps);

    /// <summary>Step <paramref name="step"/> finished; steps arrive in increasing order.</summary>
    /// <param name="step">Completed steps (1-based; a resumed run starts after its checkpoint's step).</param>
    /// <param name="loss">The step's loss.</param>
    /// <param name="tokens">Tokens the step processed.</param>
    void Report(long step, double loss, long tokens);

    /// <summary>The run ended (also when it stopped early).</summary>
    void Finish();
}
