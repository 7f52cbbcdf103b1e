using System.Diagnostics;

namespace Whetstone.Cli.Tests.Infrastructure;

/// <summary>Runs the built whet.dll in a child process with redirected streams, as CI and scripts run it.</summary>
public static class WhetProcess
{
    /// <summary>Runs <c>dotnet whet.dll <paramref name="args"/></c> in <paramref name="workingDirectory"/>.</summary>
    public static async Task<WhetResult> RunAsync(string workingDirectory, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "whet.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Remove("WHET_PROGRESS");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new WhetResult(process.ExitCode, await output, await error);
    }
}
