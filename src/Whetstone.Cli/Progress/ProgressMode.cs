namespace Whetstone.Cli.Progress;

/// <summary>How long-running verbs show progress on standard error.</summary>
internal enum ProgressMode
{
    /// <summary>A Spectre.Console live display (bar, step/total, loss, tok/s, ETA) redrawn in place.</summary>
    Live,

    /// <summary>Plain lines, one every few seconds and one at the end: readable in CI logs and files.</summary>
    Plain,

    /// <summary>No progress output.</summary>
    None,
}

/// <summary>Picks the <see cref="ProgressMode"/>: <c>WHET_PROGRESS=live|plain|none</c>, else live exactly when stderr is a terminal.</summary>
internal static class ProgressModes
{
    public const string Variable = "WHET_PROGRESS";

    public static ProgressMode FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant();
        return value switch
        {
            "live" => ProgressMode.Live,
            "plain" => ProgressMode.Plain,
            "none" => ProgressMode.None,
            _ => Console.IsErrorRedirected || Environment.GetEnvironmentVariable("TERM") == "dumb" ? ProgressMode.Plain : ProgressMode.Live,
        };
    }
}
