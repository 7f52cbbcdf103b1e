using System.CommandLine;
using Whetstone.Cli.Commands;

namespace Whetstone.Cli;

/// <summary>The <c>whet</c> root command with every verb; Program.cs runs it and the CLI tests invoke it in-process.</summary>
public static class WhetRoot
{
    /// <summary>Builds the root command.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("whet: fine-tune tool-using LLM agents on the CPU, in .NET. Example: whet demo --quick");
        foreach (var command in WhetCommands.All())
            root.Subcommands.Add(command);
        return root;
    }
}
