namespace Whetstone.Agents.Environments.TicTacToe;

/// <summary>Who the agent plays against.</summary>
public enum TicTacToeOpponent
{
    /// <summary>Picks a free cell uniformly at random.</summary>
    Random,
    /// <summary>Plays perfectly, choosing at random among equally good moves; it cannot be beaten.</summary>
    Minimax,
}

/// <summary>Settings of the tictactoe environment.</summary>
public sealed record TicTacToeOptions
{
    /// <summary>The opponent's strategy.</summary>
    public TicTacToeOpponent Opponent { get; init; } = TicTacToeOpponent.Random;

    /// <summary>Assistant turns before the game is scored as lost (a game needs at most 5 moves).</summary>
    public int MaxTurns { get; init; } = 10;
}
