using System.Globalization;

namespace Whetstone.Models.Templates;

/// <summary>
/// Recursive-descent parser from tokens to the template AST, following Jinja's grammar and operator
/// precedence (condexpr &lt; or &lt; and &lt; not &lt; compare &lt; +,- &lt; ~ &lt; *,/,//,% &lt; ** &lt; unary
/// &lt; postfix/filters/tests). Tags it does not know fail with their name and position.
/// </summary>
internal sealed class TemplateParser
{
    private readonly List<Token> _tokens;
    private int _pos;

    private TemplateParser(List<Token> tokens) => _tokens = tokens;

    /// <summary>Parses a whole template into its top-level body.</summary>
    public static IReadOnlyList<Node> Parse(string source)
    {
        var parser = new TemplateParser(TemplateLexer.Tokenize(source));
        var body = parser.ParseBody([], out _);
        return body;
    }

    private Token Current => _tokens[_pos];

    private Token Peek(int ahead = 1) => _tokens[Math.Min(_pos + ahead, _tokens.Count - 1)];

    private Token Next() => _tokens[_pos++];

    private bool SkipOperator(string op)
    {
        if (!Current.IsOperator(op)) return false;
        _pos++;
        return true;
    }

    private bool SkipName(string name)
    {
        if (!Current.IsName(name)) return false;
        _pos++;
        return true;
    }

    private Token Expect(TokenKind kind, string? value, string what)
    {
        var t = Current;
        if (t.Kind != kind || (value != null && t.Value != value))
            throw t.Position.Error($"expected {what}, found {t.Describe()}");
        _pos++;
        return t;
    }

    private string ExpectName(string what) => Expect(TokenKind.Name, null, what).Value;

    private void ExpectBlockEnd(string tag) => Expect(TokenKind.BlockEnd, null, $"'%}}' to close '{tag}'");

    // Parses nodes until a block tag whose name is in endNames; leaves the stream after that name.
    private List<Node> ParseBody(string[] endNames, out string endName)
    {
        var body = new List<Node>();
        while (true)
        {
            var t = Current;
            switch (t.Kind)
            {
                case TokenKind.Eof:
                    if (endNames.Length > 0)
                        throw t.Position.Error($"unexpected end of template, expected {string.Join(" or ", endNames.Select(n => $"'{{% {n} %}}'"))}");
                    endName = "";
                    return body;
                case TokenKind.Text:
                    _pos++;
                    body.Add(new TextNode(t.Value, t.Position));
                    break;
                case TokenKind.VariableBegin:
                    _pos++;
                    var value = ParseTuple();
                    Expect(TokenKind.VariableEnd, null, "'}}'");
                    body.Add(new OutputNode(value, t.Position));
                    break;
                case TokenKind.BlockBegin:
                    var nameToken = Peek();
                    if (nameToken.Kind == TokenKind.Name && endNames.Contains(nameToken.Value))
                    {
                        _pos += 2;
                        endName = nameToken.Value;
                        return body;
                    }
                    _pos++;
                    body.Add(ParseStatement(t.Position));
                    break;
                default:
                    throw t.Position.Error($"unexpected {t.Describe()}");
            }
        }
    }

    private Node ParseStatement(SourcePosition at)
    {
        var t = Current;
        if (t.Kind != TokenKind.Name) throw t.Position.Error($"expected a tag name after '{{%', found {t.Describe()}");
        _pos++;
        switch (t.Value)
        {
            case "if": return ParseIf(at);
            case "for": return ParseFor(at);
            case "set": return ParseSet(at);
            case "macro": return ParseMacro(at);
            case "filter": return ParseFilterBlock(at);
            case "with": return ParseWith(at);
            case "generation":
                {
                    ExpectBlockEnd("generation");
                    var body = ParseBody(["endgeneration"], out _);
                    ExpectBlockEnd("endgeneration");
                    return new PassThroughNode(body, at);
                }
            case "break":
                ExpectBlockEnd("break");
                return new BreakNode(at);
            case "continue":
                ExpectBlockEnd("continue");
                return new ContinueNode(at);
            case "elif" or "else" or "endif" or "endfor" or "endset" or "endmacro" or "endfilter" or "endwith" or "endgeneration":
                throw t.Position.Error($"unexpected '{{% {t.Value} %}}' with no open block that it closes");
            default:
                throw t.Position.Error($"unsupported template tag '{{% {t.Value} %}}'");
        }
    }

    private IfNode ParseIf(SourcePosition at)
    {
        var branches = new List<(Expr, IReadOnlyList<Node>)>();
        List<Node>? elseBody = null;
        var condition = ParseTuple();
        ExpectBlockEnd("if");
        while (true)
        {
            var body = ParseBody(["elif", "else", "endif"], out string end);
            branches.Add((condition, body));
            if (end == "elif")
            {
                condition = ParseTuple();
                ExpectBlockEnd("elif");
                continue;
            }
            if (end == "else")
            {
                ExpectBlockEnd("else");
                elseBody = ParseBody(["endif"], out _);
            }
            ExpectBlockEnd("endif");
            return new IfNode(branches, elseBody, at);
        }
    }

    private ForNode ParseFor(SourcePosition at)
    {
        var targets = new List<string> { ExpectName("a loop variable name") };
        while (SkipOperator(",")) targets.Add(ExpectName("a loop variable name"));
        Expect(TokenKind.Name, "in", "'in'");
        var iterable = ParseOr();
        Expr? filter = null;
        if (SkipName("if")) filter = ParseOr();
        if (Current.IsName("recursive")) throw Current.Position.Error("unsupported construct 'recursive' for-loop");
        ExpectBlockEnd("for");
        var body = ParseBody(["else", "endfor"], out string end);
        List<Node>? elseBody = null;
        if (end == "else")
        {
            ExpectBlockEnd("else");
            elseBody = ParseBody(["endfor"], out _);
        }
        ExpectBlockEnd("endfor");
        return new ForNode(targets, iterable, filter, body, elseBody, at);
    }

    private Node ParseSet(SourcePosition at)
    {
        var first = ExpectName("a variable name");
        SetTarget target;
        if (SkipOperator("."))
            target = new SetTarget([first], ExpectName("an attribute name"));
        else
        {
            var names = new List<string> { first };
            while (SkipOperator(",")) names.Add(ExpectName("a variable name"));
            target = new SetTarget(names, null);
        }
        if (SkipOperator("="))
        {
            var value = ParseTuple();
            ExpectBlockEnd("set");
            return new SetNode(target, value, at);
        }
        var filters = new List<(string, Arguments, SourcePosition)>();
        while (Current.IsOperator("|"))
        {
            var pipe = Next();
            var name = ParseFilterName();
            filters.Add((name, Current.IsOperator("(") ? ParseArguments() : Arguments.None, pipe.Position));
        }
        ExpectBlockEnd("set");
        var body = ParseBody(["endset"], out _);
        ExpectBlockEnd("endset");
        return new SetBlockNode(target, filters, body, at);
    }

    private MacroNode ParseMacro(SourcePosition at)
    {
        var name = ExpectName("a macro name");
        Expect(TokenKind.Operator, "(", "'(' after the macro name");
        var parameters = new List<(string, Expr?)>();
        while (!Current.IsOperator(")"))
        {
            if (parameters.Count > 0) Expect(TokenKind.Operator, ",", "',' between macro parameters");
            if (Current.IsOperator(")")) break;
            var p = ExpectName("a macro parameter name");
            parameters.Add((p, SkipOperator("=") ? ParseExpression() : null));
        }
        _pos++;
        ExpectBlockEnd("macro");
        var body = ParseBody(["endmacro"], out _);
        if (Current.Kind == TokenKind.Name && Current.Value == name) _pos++;
        ExpectBlockEnd("endmacro");
        return new MacroNode(name, parameters, body, at);
    }

    private FilterBlockNode ParseFilterBlock(SourcePosition at)
    {
        var name = ParseFilterName();
        var args = Current.IsOperator("(") ? ParseArguments() : Arguments.None;
        if (Current.IsOperator("|")) throw Current.Position.Error("unsupported construct: chained filters in '{% filter %}'");
        ExpectBlockEnd("filter");
        var body = ParseBody(["endfilter"], out _);
        ExpectBlockEnd("endfilter");
        return new FilterBlockNode(name, args, body, at);
    }

    private WithNode ParseWith(SourcePosition at)
    {
        var assignments = new List<(string, Expr)>();
        while (Current.Kind != TokenKind.BlockEnd)
        {
            if (assignments.Count > 0) Expect(TokenKind.Operator, ",", "',' between with-assignments");
            var name = ExpectName("a variable name");
            Expect(TokenKind.Operator, "=", "'='");
            assignments.Add((name, ParseExpression()));
        }
        ExpectBlockEnd("with");
        var body = ParseBody(["endwith"], out _);
        ExpectBlockEnd("endwith");
        return new WithNode(assignments, body, at);
    }

    private string ParseFilterName()
    {
        var at = Current.Position;
        var name = ParseDottedName();
        if (!TemplateFilters.Names.Contains(name)) throw at.Error($"unsupported filter '{name}'");
        return name;
    }

    private string ParseDottedName()
    {
        var name = ExpectName("a filter name");
        while (Current.IsOperator(".") && Peek().Kind == TokenKind.Name)
        {
            _pos++;
            name += "." + Next().Value;
        }
        return name;
    }

    // ---- expressions ----

    // A bare "a, b" tuple (as in {{ a, b }} or set x = 1, 2); a single expression otherwise.
    private Expr ParseTuple()
    {
        var at = Current.Position;
        var first = ParseExpression();
        if (!Current.IsOperator(",")) return first;
        var items = new List<Expr> { first };
        while (SkipOperator(","))
        {
            if (Current.Kind is TokenKind.BlockEnd or TokenKind.VariableEnd) break;
            items.Add(ParseExpression());
        }
        return new TupleExpr(items, at);
    }

    private Expr ParseExpression()
    {
        var expr = ParseOr();
        while (Current.IsName("if"))
        {
            var at = Next().Position;
            var condition = ParseOr();
            Expr? otherwise = SkipName("else") ? ParseExpression() : null;
            expr = new ConditionalExpr(condition, expr, otherwise, at);
        }
        return expr;
    }

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsName("or"))
        {
            var at = Next().Position;
            left = new BinaryExpr("or", left, ParseAnd(), at);
        }
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsName("and"))
        {
            var at = Next().Position;
            left = new BinaryExpr("and", left, ParseNot(), at);
        }
        return left;
    }

    private Expr ParseNot()
    {
        if (Current.IsName("not"))
        {
            var at = Next().Position;
            return new UnaryExpr("not", ParseNot(), at);
        }
        return ParseCompare();
    }

    private static readonly string[] CompareOps = ["==", "!=", "<", "<=", ">", ">="];

    private Expr ParseCompare()
    {
        var left = ParseMath1();
        Expr? chain = null;
        while (true)
        {
            var t = Current;
            string op;
            if (t.Kind == TokenKind.Operator && CompareOps.Contains(t.Value)) { op = t.Value; _pos++; }
            else if (t.IsName("in")) { op = "in"; _pos++; }
            else if (t.IsName("not") && Peek().IsName("in")) { op = "not in"; _pos += 2; }
            else break;
            var right = ParseMath1();
            var cmp = new BinaryExpr(op, left, right, t.Position);
            chain = chain == null ? cmp : new BinaryExpr("and", chain, cmp, t.Position);
            left = right;
        }
        return chain ?? left;
    }

    private Expr ParseMath1()
    {
        var left = ParseConcat();
        while (Current.IsOperator("+") || Current.IsOperator("-"))
        {
            var t = Next();
            left = new BinaryExpr(t.Value, left, ParseConcat(), t.Position);
        }
        return left;
    }

    private Expr ParseConcat()
    {
        var left = ParseMath2();
        while (Current.IsOperator("~"))
        {
            var t = Next();
            left = new BinaryExpr("~", left, ParseMath2(), t.Position);
        }
        return left;
    }

    private Expr ParseMath2()
    {
        var left = ParsePow();
        while (Current.Kind == TokenKind.Operator && Current.Value is "*" or "/" or "//" or "%")
        {
            var t = Next();
            left = new BinaryExpr(t.Value, left, ParsePow(), t.Position);
        }
        return left;
    }

    private Expr ParsePow()
    {
        var left = ParseUnary(withFilter: true);
        while (Current.IsOperator("**"))
        {
            var t = Next();
            left = new BinaryExpr("**", left, ParseUnary(withFilter: true), t.Position);
        }
        return left;
    }

    private Expr ParseUnary(bool withFilter)
    {
        var t = Current;
        Expr node;
        if (t.IsOperator("-") || t.IsOperator("+"))
        {
            _pos++;
            node = new UnaryExpr(t.Value, ParseUnary(withFilter: false), t.Position);
        }
        else node = ParsePrimary();
        node = ParsePostfix(node);
        return withFilter ? ParseFilterChain(node) : node;
    }

    private Expr ParsePrimary()
    {
        var t = Next();
        switch (t.Kind)
        {
            case TokenKind.Name:
                return t.Value switch
                {
                    "true" or "True" => new LiteralExpr(true, t.Position),
                    "false" or "False" => new LiteralExpr(false, t.Position),
                    "none" or "None" => new LiteralExpr(null, t.Position),
                    _ => new NameExpr(t.Value, t.Position),
                };
            case TokenKind.String:
                {
                    string s = t.Value;
                    while (Current.Kind == TokenKind.String) s += Next().Value;
                    return new LiteralExpr(s, t.Position);
                }
            case TokenKind.Integer:
                return long.TryParse(t.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long l)
                    ? new LiteralExpr(l, t.Position)
                    : new LiteralExpr(double.Parse(t.Value, CultureInfo.InvariantCulture), t.Position);
            case TokenKind.Float:
                return new LiteralExpr(double.Parse(t.Value, NumberStyles.Float, CultureInfo.InvariantCulture), t.Position);
            case TokenKind.Operator when t.Value == "(":
                {
                    if (SkipOperator(")")) return new TupleExpr([], t.Position);
                    var first = ParseExpression();
                    if (SkipOperator(")")) return first;
                    var items = new List<Expr> { first };
                    while (SkipOperator(","))
                    {
                        if (Current.IsOperator(")")) break;
                        items.Add(ParseExpression());
                    }
                    Expect(TokenKind.Operator, ")", "')'");
                    return new TupleExpr(items, t.Position);
                }
            case TokenKind.Operator when t.Value == "[":
                {
                    var items = new List<Expr>();
                    while (!Current.IsOperator("]"))
                    {
                        if (items.Count > 0) Expect(TokenKind.Operator, ",", "',' or ']' in list literal");
                        if (Current.IsOperator("]")) break;
                        items.Add(ParseExpression());
                    }
                    _pos++;
                    return new ListExpr(items, t.Position);
                }
            case TokenKind.Operator when t.Value == "{":
                {
                    var pairs = new List<(Expr, Expr)>();
                    while (!Current.IsOperator("}"))
                    {
                        if (pairs.Count > 0) Expect(TokenKind.Operator, ",", "',' or '}' in dict literal");
                        if (Current.IsOperator("}")) break;
                        var key = ParseExpression();
                        Expect(TokenKind.Operator, ":", "':' in dict literal");
                        pairs.Add((key, ParseExpression()));
                    }
                    _pos++;
                    return new DictExpr(pairs, t.Position);
                }
            default:
                throw t.Position.Error($"unexpected {t.Describe()} in expression");
        }
    }

    private Expr ParsePostfix(Expr node)
    {
        while (true)
        {
            var t = Current;
            if (t.IsOperator("."))
            {
                _pos++;
                var attr = Next();
                if (attr.Kind == TokenKind.Name) node = new AttributeExpr(node, attr.Value, t.Position);
                else if (attr.Kind == TokenKind.Integer) node = new ItemExpr(node, new LiteralExpr(long.Parse(attr.Value, CultureInfo.InvariantCulture), attr.Position), t.Position);
                else throw attr.Position.Error($"expected an attribute name after '.', found {attr.Describe()}");
            }
            else if (t.IsOperator("["))
            {
                _pos++;
                node = ParseSubscript(node, t.Position);
            }
            else if (t.IsOperator("("))
                node = new CallExpr(node, ParseArguments(), t.Position);
            else return node;
        }
    }

    private Expr ParseSubscript(Expr target, SourcePosition at)
    {
        Expr? start = null;
        if (!Current.IsOperator(":"))
        {
            start = ParseExpression();
            if (SkipOperator("]")) return new ItemExpr(target, start, at);
        }
        Expect(TokenKind.Operator, ":", "':' or ']' in subscript");
        Expr? stop = null, step = null;
        if (!Current.IsOperator("]") && !Current.IsOperator(":")) stop = ParseExpression();
        if (SkipOperator(":") && !Current.IsOperator("]")) step = ParseExpression();
        Expect(TokenKind.Operator, "]", "']' to close the slice");
        return new SliceExpr(target, start, stop, step, at);
    }

    private Arguments ParseArguments()
    {
        Expect(TokenKind.Operator, "(", "'('");
        var positional = new List<Expr>();
        var keyword = new List<(string, Expr)>();
        while (!Current.IsOperator(")"))
        {
            if (positional.Count + keyword.Count > 0) Expect(TokenKind.Operator, ",", "',' or ')' in argument list");
            if (Current.IsOperator(")")) break;
            if (Current.IsOperator("*") || Current.IsOperator("**"))
                throw Current.Position.Error("unsupported construct: '*args'/'**kwargs' in a call");
            if (Current.Kind == TokenKind.Name && Peek().IsOperator("="))
            {
                var name = Next().Value;
                _pos++;
                keyword.Add((name, ParseExpression()));
            }
            else
            {
                if (keyword.Count > 0) throw Current.Position.Error("positional argument after keyword argument");
                positional.Add(ParseExpression());
            }
        }
        _pos++;
        return new Arguments(positional, keyword);
    }

    private Expr ParseFilterChain(Expr node)
    {
        while (true)
        {
            var t = Current;
            if (t.IsOperator("|"))
            {
                _pos++;
                var name = ParseFilterName();
                var args = Current.IsOperator("(") ? ParseArguments() : Arguments.None;
                node = new FilterExpr(node, name, args, t.Position);
            }
            else if (t.IsName("is"))
            {
                _pos++;
                bool negated = SkipName("not");
                var nameAt = Current.Position;
                var name = ParseDottedName();
                if (!TemplateTests.Names.Contains(name)) throw nameAt.Error($"unsupported test '{name}'");
                Arguments args;
                if (Current.IsOperator("(")) args = ParseArguments();
                else if (StartsTestArgument(Current))
                {
                    var arg = ParsePostfix(ParsePrimary());
                    args = new Arguments([arg], []);
                }
                else args = Arguments.None;
                node = new TestExpr(node, name, args, negated, t.Position);
            }
            else if (t.IsOperator("("))
                node = new CallExpr(node, ParseArguments(), t.Position);
            else return node;
        }
    }

    private static bool StartsTestArgument(Token t) =>
        t.Kind is TokenKind.String or TokenKind.Integer or TokenKind.Float
        || (t.Kind == TokenKind.Name && t.Value is not ("else" or "or" or "and" or "is" or "if" or "in" or "not"))
        || t.IsOperator("[") || t.IsOperator("{");
}
