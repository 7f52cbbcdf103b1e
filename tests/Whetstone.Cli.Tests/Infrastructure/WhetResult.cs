namespace Whetstone.Cli.Tests.Infrastructure;

/// <summary>What one <c>whet</c> invocation left behind: its exit code, standard output and standard error.</summary>
public sealed record WhetResult(int ExitCode, string Output, string Error)
{
    /// <summary>Both streams, for assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
