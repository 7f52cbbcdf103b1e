using System.CommandLine;
using Whetstone.Agents.Environments;
using Whetstone.Cli.Commands.Chat;
using Whetstone.Models.Transformer;
using Whetstone.Training.Data;
using Whetstone.Training.Policies;

namespace Whetstone.Cli.Commands;

/// <summary>
/// <c>whet chat --model DIR [--env NAME]</c>: talk to a local model in the terminal. Without <c>--env</c> each line you
/// type is a user turn; with it, the model plays the environment's test tasks and every tool call and observation is
/// printed as it happens.
/// </summary>
public static class ChatCommand
{
    /// <summary>Builds the <c>chat</c> verb.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model directory with config.json, safetensors, tokenizer.json and tokenizer_config.json.", Required = true };
        var env = new Option<string?>("--env") { Description = "Let the model act in an environment (e.g. calc, tictactoe:opponent=minimax) instead of chatting." };
        var system = new Option<string?>("--system") { Description = "System prompt for plain chat." };
        var temperature = new Option<float>("--temperature") { Description = "Sampling temperature; 0 is greedy.", DefaultValueFactory = _ => 0f };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Most tokens per assistant turn.", DefaultValueFactory = _ => 256 };
        var seed = new Option<int>("--seed") { Description = "Sampling seed.", DefaultValueFactory = _ => 0 };
        var command = new Command("chat", "Chat with a local model, or watch it act in an environment. Example: whet chat --model runs/demo/model --env calc");
        foreach (var o in new Option[] { model, env, system, temperature, maxTokens, seed })
            command.Options.Add(o);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var dir = parse.GetValue(model)!;
            try
            {
                using var transformer = TransformerModel.Load(dir);
                var formatter = ChatFormatter.FromDirectory(dir);
                using var policy = new LocalPolicy(transformer, formatter);
                var settings = new ChatSettings(parse.GetValue(temperature), parse.GetValue(maxTokens), parse.GetValue(seed));
                var console = new ChatConsole(Console.Out);
                if (parse.GetValue(env) is { } spec)
                    await EnvironmentChat.RunAsync(EnvironmentCatalog.Parse(spec), policy, settings, console, Console.In, cancellationToken);
                else
                    await PlainChat.RunAsync(policy, settings, parse.GetValue(system), console, Console.In, cancellationToken);
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or KeyNotFoundException)
            {
                Console.Error.WriteLine($"chat: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
