using System.CommandLine;
using Whetstone.Cli.Progress;

namespace Whetstone.Cli.Tests.Infrastructure;

/// <summary>
/// Runs <c>whet</c> in-process: builds the root command as Program.cs does, swaps Console.Out/Error/In for string
/// writers and a scripted input, and invokes it. Progress is plain lines unless a test sets another mode.
/// </summary>
public static class Whet
{
    /// <summary>Runs <c>whet <paramref name="args"/></c> with empty standard input.</summary>
    public static Task<WhetResult> RunAsync(params string[] args) => RunWithInputAsync("", args);

    /// <summary>Runs <c>whet <paramref name="args"/></c> reading <paramref name="stdin"/> as standard input.</summary>
    public static async Task<WhetResult> RunWithInputAsync(string stdin, string[] args, string progress = "plain")
    {
        var output = new StringWriter();
        var error = new StringWriter();
        TextWriter oldOut = Console.Out, oldError = Console.Error;
        TextReader oldIn = Console.In;
        var oldProgress = Environment.GetEnvironmentVariable(ProgressModes.Variable);
        Console.SetOut(output);
        Console.SetError(error);
        Console.SetIn(new StringReader(stdin));
        Environment.SetEnvironmentVariable(ProgressModes.Variable, progress);
        try
        {
            var parse = WhetRoot.Create().Parse(args);
            int code = await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
            return new WhetResult(code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
            Console.SetIn(oldIn);
            Environment.SetEnvironmentVariable(ProgressModes.Variable, oldProgress);
        }
    }
}
