using Whetstone.Agents.Policies;

namespace Whetstone.Cli.Commands.Chat;

/// <summary>Sampling settings for <c>whet chat</c>; each turn gets its own seed so replies differ turn to turn.</summary>
internal sealed record ChatSettings(float Temperature, int MaxTokens, int Seed)
{
    public SamplingOptions ForTurn(int turn) => new() { Temperature = Temperature, MaxTokens = MaxTokens, Seed = Seed + turn };
}
