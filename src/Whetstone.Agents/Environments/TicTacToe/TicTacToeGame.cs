namespace Whetstone.Agents.Environments.TicTacToe;

/// <summary>A generated game: who moves first and the seed of the opponent's choices.</summary>
internal sealed record TicTacToeGame(bool AgentStarts, ulong OpponentSeed)
{
    public static TicTacToeGame Generate(TaskRandom random)
    {
        var opponentSeed = random.NextUInt64();
        // Alternate who starts by the seed itself, so both openings are equally common in each split.
        return new TicTacToeGame((opponentSeed & 1) == 0, opponentSeed);
    }

    /// <summary>The canonical text the train/test split is decided on.</summary>
    public string Content => $"{(AgentStarts ? "agent" : "opponent")}/{OpponentSeed}";
}
