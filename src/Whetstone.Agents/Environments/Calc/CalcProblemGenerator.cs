namespace Whetstone.Agents.Environments.Calc;

/// <summary>
/// Makes short templated word problems: a starting quantity, then 2–4 operations (buy/find more, give away/lose,
/// multiply, share equally), then a question. Every intermediate value is a positive integer, so the worked solution
/// is a chain of integer calculator steps. The vocabulary is small on purpose: a tiny model must learn it.
/// </summary>
internal static class CalcProblemGenerator
{
    private static readonly string[] Names = ["Ann", "Ben", "Cara", "Dan", "Eva", "Finn", "Gia", "Hugo"];
    private static readonly string[] Items = ["apples", "coins", "books", "pens", "cards", "stamps", "eggs", "shells"];

    private enum Op { Add, Subtract, Multiply, Divide }

    private sealed record Limits(int MinOps, int MaxOps, int MaxOperand, int MaxFactor, int MaxValue);

    private static Limits For(CalcDifficulty difficulty) => difficulty switch
    {
        CalcDifficulty.Easy => new(2, 2, 20, 5, 200),
        CalcDifficulty.Medium => new(2, 3, 50, 9, 1000),
        _ => new(3, 4, 100, 12, 10000),
    };

    public static CalcProblem Generate(TaskRandom random, CalcDifficulty difficulty)
    {
        var limits = For(difficulty);
        var name = random.Pick(Names);
        var items = random.Pick(Items);
        var operations = random.Next(limits.MinOps, limits.MaxOps + 1);
        var sentences = new List<string>();
        var steps = new List<CalcStep>();

        long value;
        if (random.Next(0, 3) == 0)
        {
            // Buying in boxes: the start itself is a multiplication and counts as the first operation.
            var boxes = random.Next(2, limits.MaxFactor + 1);
            var each = random.Next(2, Math.Max(3, Math.Min(limits.MaxOperand, limits.MaxValue / boxes) + 1));
            value = boxes * each;
            sentences.Add($"{name} buys {boxes} boxes of {items} with {each} {items} in each box.");
            steps.Add(new CalcStep($"{boxes}*{each}", value));
        }
        else
        {
            value = random.Next(2, limits.MaxOperand + 1);
            sentences.Add($"{name} has {value} {items}.");
        }

        while (steps.Count < operations)
        {
            var op = (Op)random.Next(0, 4);
            var divisors = Enumerable.Range(2, 8).Where(d => value % d == 0 && value / d >= 1).ToArray();
            switch (op)
            {
                case Op.Add:
                {
                    var b = random.Next(1, limits.MaxOperand + 1);
                    if (value + b > limits.MaxValue) continue;
                    sentences.Add(random.Pick([$"{name} buys {b} more.", $"{name} finds {b} more.", $"A friend gives {name} {b} more."]));
                    steps.Add(new CalcStep($"{value}+{b}", value += b));
                    break;
                }
                case Op.Subtract:
                {
                    if (value < 2) continue;
                    var b = random.Next(1, (int)Math.Min(value, limits.MaxOperand + 1));
                    sentences.Add(random.Pick([$"{name} gives away {b}.", $"{name} loses {b}.", $"{name} sells {b}."]));
                    steps.Add(new CalcStep($"{value}-{b}", value -= b));
                    break;
                }
                case Op.Multiply:
                {
                    var b = random.Next(2, limits.MaxFactor + 1);
                    if (value * b > limits.MaxValue) continue;
                    sentences.Add(random.Pick([$"Then {name} has {b} times as many.", $"The number of {items} grows {b} times."]));
                    steps.Add(new CalcStep($"{value}*{b}", value *= b));
                    break;
                }
                default:
                {
                    if (divisors.Length == 0) continue;
                    var b = random.Pick(divisors);
                    sentences.Add(random.Pick([
                        $"{name} shares them equally among {b} friends and keeps one share.",
                        $"{name} splits them into {b} equal piles and keeps one pile."]));
                    steps.Add(new CalcStep($"{value}/{b}", value /= b));
                    break;
                }
            }
        }

        sentences.Add($"How many {items} does {name} have now?");
        return new CalcProblem(string.Join(" ", sentences), steps);
    }
}
