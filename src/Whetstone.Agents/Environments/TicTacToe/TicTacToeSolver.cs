using System.Collections.Concurrent;

namespace Whetstone.Agents.Environments.TicTacToe;

/// <summary>
/// Perfect play by negamax over the whole game tree, memoised per (board, player to move); tic-tac-toe has under
/// 6000 reachable positions. Scores are from the mover's view: a win scores 10 − pieces on the board at the end
/// (so quicker wins score higher and slower losses are preferred), a draw 0.
/// </summary>
internal static class TicTacToeSolver
{
    private static readonly ConcurrentDictionary<(string, char), int> Memo = new();

    /// <summary>The value of the position for <paramref name="toMove"/>.</summary>
    public static int Value(TicTacToeBoard board, char toMove)
    {
        if (board.Winner is not null)
            return -(10 - board.Pieces); // The previous mover won.
        if (board.IsFull)
            return 0;
        return Memo.GetOrAdd((board.Cells, toMove), _ =>
            board.FreeCells.Max(i => -Value(board.With(i, toMove), Other(toMove))));
    }

    /// <summary>Every 0-based cell that keeps the best value for <paramref name="toMove"/>, lowest first.</summary>
    public static IReadOnlyList<int> BestMoves(TicTacToeBoard board, char toMove)
    {
        var scored = board.FreeCells.Select(i => (Cell: i, Score: -Value(board.With(i, toMove), Other(toMove)))).ToList();
        var best = scored.Max(s => s.Score);
        return scored.Where(s => s.Score == best).Select(s => s.Cell).ToList();
    }

    public static char Other(char player) => player == 'X' ? 'O' : 'X';
}
