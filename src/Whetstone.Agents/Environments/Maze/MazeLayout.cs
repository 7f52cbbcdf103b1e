using System.Text;

namespace Whetstone.Agents.Environments.Maze;

/// <summary>A grid position, 0-based.</summary>
internal readonly record struct GridPoint(int Row, int Col)
{
    public GridPoint Step(MazeDirection direction) => direction switch
    {
        MazeDirection.Up => new(Row - 1, Col),
        MazeDirection.Down => new(Row + 1, Col),
        MazeDirection.Left => new(Row, Col - 1),
        _ => new(Row, Col + 1),
    };

    public int DistanceTo(GridPoint other) => Math.Abs(Row - other.Row) + Math.Abs(Col - other.Col);
}

/// <summary>The four moves, in the order the tool lists them.</summary>
internal enum MazeDirection { Up, Down, Left, Right }

/// <summary>
/// A perfect maze (exactly one path between any two squares) on a (2n+1)×(2n+1) grid, carved by a randomised
/// depth-first search; the border is wall. Start and goal are cells (odd coordinates), the goal at least half as far
/// from the start as the farthest cell, so that episodes need exploring.
/// </summary>
internal sealed class MazeLayout
{
    private readonly bool[,] _open;

    private MazeLayout(bool[,] open, GridPoint start, GridPoint goal)
    {
        _open = open;
        foreach (var square in open)
            OpenSquares += square ? 1 : 0;
        Start = start;
        Goal = goal;
    }

    public int Side => _open.GetLength(0);

    public GridPoint Start { get; }

    public GridPoint Goal { get; }

    public bool IsOpen(GridPoint p) => p.Row >= 0 && p.Col >= 0 && p.Row < Side && p.Col < Side && _open[p.Row, p.Col];

    public int OpenSquares { get; }

    public static MazeLayout Generate(TaskRandom random, int size)
    {
        var side = 2 * size + 1;
        var open = new bool[side, side];
        var visited = new bool[size, size];
        var stack = new Stack<(int R, int C)>();
        var first = (R: random.Next(0, size), C: random.Next(0, size));
        visited[first.R, first.C] = true;
        open[2 * first.R + 1, 2 * first.C + 1] = true;
        stack.Push(first);
        (int, int)[] steps = [(-1, 0), (1, 0), (0, -1), (0, 1)];
        while (stack.Count > 0)
        {
            var (r, c) = stack.Peek();
            var next = steps.Select(s => (R: r + s.Item1, C: c + s.Item2))
                .Where(n => n.R >= 0 && n.C >= 0 && n.R < size && n.C < size && !visited[n.R, n.C]).ToList();
            if (next.Count == 0)
            {
                stack.Pop();
                continue;
            }
            var chosen = random.Pick(next);
            visited[chosen.R, chosen.C] = true;
            open[2 * chosen.R + 1, 2 * chosen.C + 1] = true;
            open[r + chosen.R + 1, c + chosen.C + 1] = true; // The wall square between the two cells.
            stack.Push(chosen);
        }

        var start = new GridPoint(2 * random.Next(0, size) + 1, 2 * random.Next(0, size) + 1);
        var layout = new MazeLayout(open, start, start);
        var distances = layout.Distances(start);
        var cells = distances.Where(d => d.Key.Row % 2 == 1 && d.Key.Col % 2 == 1).ToList();
        var far = cells.Max(d => d.Value);
        var goals = cells.Where(d => d.Value * 2 >= far && d.Value > 0).Select(d => d.Key).OrderBy(p => p.Row).ThenBy(p => p.Col).ToList();
        return new MazeLayout(open, start, random.Pick(goals));
    }

    /// <summary>Breadth-first distances from <paramref name="from"/> to every reachable square.</summary>
    public Dictionary<GridPoint, int> Distances(GridPoint from)
    {
        var distances = new Dictionary<GridPoint, int> { [from] = 0 };
        var queue = new Queue<GridPoint>([from]);
        while (queue.Count > 0)
        {
            var p = queue.Dequeue();
            foreach (var direction in Enum.GetValues<MazeDirection>())
            {
                var n = p.Step(direction);
                if (IsOpen(n) && distances.TryAdd(n, distances[p] + 1))
                    queue.Enqueue(n);
            }
        }
        return distances;
    }

    /// <summary>The 3×3 squares around <paramref name="at"/>: <c>#</c> wall, <c>.</c> open, <c>A</c> agent, <c>G</c> goal.</summary>
    public string View(GridPoint at)
    {
        var text = new StringBuilder();
        for (var dr = -1; dr <= 1; dr++)
        {
            if (dr > -1)
                text.Append('\n');
            for (var dc = -1; dc <= 1; dc++)
            {
                var p = new GridPoint(at.Row + dr, at.Col + dc);
                text.Append(p == at ? 'A' : p == Goal ? 'G' : IsOpen(p) ? '.' : '#');
            }
        }
        return text.ToString();
    }

    /// <summary>The whole grid as text, the canonical content the train/test split is decided on.</summary>
    public string Content
    {
        get
        {
            var text = new StringBuilder();
            for (var r = 0; r < Side; r++)
            {
                for (var c = 0; c < Side; c++)
                    text.Append(new GridPoint(r, c) == Start ? 'S' : new GridPoint(r, c) == Goal ? 'G' : _open[r, c] ? '.' : '#');
                text.Append('\n');
            }
            return text.ToString();
        }
    }
}
