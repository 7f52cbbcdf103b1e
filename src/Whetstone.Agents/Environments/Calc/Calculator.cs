using System.Globalization;

namespace Whetstone.Agents.Environments.Calc;

/// <summary>
/// A safe arithmetic evaluator: a recursive-descent parser over decimal numbers with <c>+ - * / % ^</c>, parentheses
/// and unary signs. It evaluates nothing but arithmetic, so model-written text can be passed to it directly. Precedence,
/// loosest first: <c>+ -</c>, then <c>* / %</c>, then unary sign, then <c>^</c> (right-associative, integer exponents).
/// </summary>
public static class Calculator
{
    private const int MaxDepth = 64;
    private const int MaxLength = 500;

    /// <summary>Evaluates <paramref name="expression"/>; on failure <paramref name="error"/> says what and where.</summary>
    public static bool TryEvaluate(string expression, out decimal value, out string error)
    {
        value = 0;
        if (expression.Length > MaxLength)
        {
            error = $"expression is too long ({expression.Length} characters, at most {MaxLength})";
            return false;
        }
        try
        {
            var parser = new Parser(expression);
            value = parser.ParseAll();
            error = "";
            return true;
        }
        catch (CalculatorException e)
        {
            error = e.Message;
            return false;
        }
        catch (OverflowException)
        {
            error = "the result is too large";
            return false;
        }
        catch (DivideByZeroException)
        {
            error = "division by zero";
            return false;
        }
    }

    /// <summary>A number as the calculator prints it: no trailing zeros, no exponent, invariant culture.</summary>
    public static string Format(decimal value) =>
        value.ToString("0.############################", CultureInfo.InvariantCulture);

    private sealed class CalculatorException(string message) : Exception(message);

    private sealed class Parser(string text)
    {
        private int _position;
        private int _depth;

        public decimal ParseAll()
        {
            SkipSpaces();
            if (_position == text.Length)
                throw new CalculatorException("empty expression");
            var value = ParseSum();
            SkipSpaces();
            if (_position < text.Length)
                throw Unexpected();
            return value;
        }

        private decimal ParseSum()
        {
            var value = ParseProduct();
            while (true)
            {
                SkipSpaces();
                if (Eat('+')) value += ParseProduct();
                else if (Eat('-')) value -= ParseProduct();
                else return value;
            }
        }

        private decimal ParseProduct()
        {
            var value = ParseUnary();
            while (true)
            {
                SkipSpaces();
                if (Eat('*') || Eat('×')) value *= ParseUnary();
                else if (Eat('/') || Eat('÷')) value = Divide(value, ParseUnary());
                else if (Eat('%'))
                {
                    var divisor = ParseUnary();
                    if (divisor == 0) throw new DivideByZeroException();
                    value %= divisor;
                }
                else return value;
            }
        }

        private decimal ParseUnary()
        {
            SkipSpaces();
            if (Eat('-')) return -Nested(ParseUnary);
            if (Eat('+')) return Nested(ParseUnary);
            return ParsePower();
        }

        private decimal ParsePower()
        {
            var value = ParseAtom();
            SkipSpaces();
            if (!Eat('^'))
                return value;
            var exponent = Nested(ParseUnary); // Right-associative: 2^3^2 = 2^9.
            return Power(value, exponent);
        }

        private decimal ParseAtom()
        {
            SkipSpaces();
            if (Eat('('))
            {
                var value = Nested(ParseSum);
                SkipSpaces();
                if (!Eat(')'))
                    throw _position < text.Length
                        ? Unexpected()
                        : new CalculatorException("missing closing parenthesis");
                return value;
            }
            return ParseNumber();
        }

        private decimal ParseNumber()
        {
            var start = _position;
            while (_position < text.Length && (char.IsAsciiDigit(text[_position]) || text[_position] is '.' or ',' or '_'))
                _position++;
            if (start == _position)
                throw _position < text.Length ? Unexpected() : new CalculatorException("expression ends too early");
            // Thousands separators (1,000 or 1_000) are common in model output; drop them.
            var digits = text[start.._position].Replace(",", "").Replace("_", "");
            if (!decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                throw new CalculatorException($"\"{text[start.._position]}\" is not a number");
            return number;
        }

        private decimal Nested(Func<decimal> parse)
        {
            if (++_depth > MaxDepth)
                throw new CalculatorException("expression is nested too deeply");
            var value = parse();
            _depth--;
            return value;
        }

        private static decimal Divide(decimal a, decimal b) => b == 0 ? throw new DivideByZeroException() : a / b;

        private static decimal Power(decimal b, decimal e)
        {
            if (e != decimal.Truncate(e))
                throw new CalculatorException("exponents must be whole numbers");
            if (Math.Abs(e) > 1000)
                throw new OverflowException();
            var result = 1m;
            for (var i = 0; i < Math.Abs(e); i++)
                result *= b;
            return e < 0 ? Divide(1, result) : result;
        }

        private bool Eat(char c)
        {
            if (_position < text.Length && text[_position] == c)
            {
                _position++;
                return true;
            }
            return false;
        }

        private void SkipSpaces()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
                _position++;
        }

        private CalculatorException Unexpected() =>
            new($"unexpected \"{text[_position]}\" at position {_position + 1}; use numbers, + - * / % ^ and parentheses");
    }
}
