namespace Whetstone.Agents.Environments.TicTacToe;

/// <summary>
/// A 3×3 board as nine characters, cell 1 at the top left and cell 9 at the bottom right: <c>'X'</c>, <c>'O'</c> or
/// <c>' '</c> for free. Immutable, so that the solver can use boards as dictionary keys.
/// </summary>
internal sealed record TicTacToeBoard(string Cells)
{
    private static readonly int[][] Lines =
    [
        [0, 1, 2], [3, 4, 5], [6, 7, 8], [0, 3, 6], [1, 4, 7], [2, 5, 8], [0, 4, 8], [2, 4, 6],
    ];

    public static TicTacToeBoard Empty { get; } = new("         ");

    /// <summary>The board after <paramref name="player"/> takes 0-based <paramref name="index"/>.</summary>
    public TicTacToeBoard With(int index, char player) =>
        new(string.Concat(Cells.AsSpan(0, index), player.ToString(), Cells.AsSpan(index + 1)));

    public bool IsFree(int index) => Cells[index] == ' ';

    public IEnumerable<int> FreeCells => Enumerable.Range(0, 9).Where(IsFree);

    public int Pieces => Cells.Count(c => c != ' ');

    public bool IsFull => Pieces == 9;

    /// <summary>'X' or 'O' when that player has three in a row, else null.</summary>
    public char? Winner
    {
        get
        {
            foreach (var line in Lines)
            {
                var c = Cells[line[0]];
                if (c != ' ' && c == Cells[line[1]] && c == Cells[line[2]])
                    return c;
            }
            return null;
        }
    }

    public bool IsOver => Winner is not null || IsFull;

    /// <summary>Three lines such as <c>X 2 O</c>: pieces where taken, the cell number where free.</summary>
    public string Render() => string.Join("\n", Enumerable.Range(0, 3).Select(row =>
        string.Join(" ", Enumerable.Range(0, 3).Select(col =>
        {
            var i = row * 3 + col;
            return Cells[i] == ' ' ? (i + 1).ToString() : Cells[i].ToString();
        }))));
}
