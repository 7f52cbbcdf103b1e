// whet: the Whetstone command line. Parse the arguments, build the objects, run. No logic lives here;
// each verb is one file under Commands/ and WhetCommands lists them.
using System.CommandLine;
using Whetstone.Cli.Commands;

var root = new RootCommand("whet: fine-tune tool-using LLM agents on the CPU, in .NET.");
foreach (var command in WhetCommands.All())
    root.Subcommands.Add(command);
return root.Parse(args).Invoke();
