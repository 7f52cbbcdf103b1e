// whet: the Whetstone command line. Parse the arguments, build the objects, run. No logic lives here;
// each verb is one file under Commands/, WhetCommands lists them and WhetRoot puts them under the root command.
using Whetstone.Cli;

return WhetRoot.Create().Parse(args).Invoke();
