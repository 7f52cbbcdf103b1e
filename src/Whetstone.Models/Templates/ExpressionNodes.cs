namespace Whetstone.Models.Templates;

// The expression half of the template AST. Every node keeps the position of its first token so
// evaluation errors can point into the template.

internal abstract record Expr(SourcePosition Position);

internal sealed record LiteralExpr(object? Value, SourcePosition Position) : Expr(Position);

internal sealed record NameExpr(string Name, SourcePosition Position) : Expr(Position);

internal sealed record ListExpr(IReadOnlyList<Expr> Items, SourcePosition Position) : Expr(Position);

internal sealed record TupleExpr(IReadOnlyList<Expr> Items, SourcePosition Position) : Expr(Position);

internal sealed record DictExpr(IReadOnlyList<(Expr Key, Expr Value)> Pairs, SourcePosition Position) : Expr(Position);

/// <summary><c>obj.name</c>: attribute first, then item (Jinja's <c>getattr</c>).</summary>
internal sealed record AttributeExpr(Expr Target, string Name, SourcePosition Position) : Expr(Position);

/// <summary><c>obj[key]</c>: item first, then attribute (Jinja's <c>getitem</c>).</summary>
internal sealed record ItemExpr(Expr Target, Expr Key, SourcePosition Position) : Expr(Position);

/// <summary><c>obj[start:stop:step]</c> with Python slice semantics; absent parts are null.</summary>
internal sealed record SliceExpr(Expr Target, Expr? Start, Expr? Stop, Expr? Step, SourcePosition Position) : Expr(Position);

/// <summary>Positional and keyword arguments of a call, filter or test.</summary>
internal sealed record Arguments(IReadOnlyList<Expr> Positional, IReadOnlyList<(string Name, Expr Value)> Keyword)
{
    public static readonly Arguments None = new([], []);
}

internal sealed record CallExpr(Expr Callee, Arguments Args, SourcePosition Position) : Expr(Position);

internal sealed record FilterExpr(Expr Target, string Name, Arguments Args, SourcePosition Position) : Expr(Position);

internal sealed record TestExpr(Expr Target, string Name, Arguments Args, bool Negated, SourcePosition Position) : Expr(Position);

/// <summary>Prefix operator: <c>not</c>, <c>-</c> or <c>+</c>.</summary>
internal sealed record UnaryExpr(string Op, Expr Operand, SourcePosition Position) : Expr(Position);

/// <summary>
/// Infix operator: arithmetic (+ - * / // % **), concatenation (~), comparison (== != &lt; &lt;= &gt; &gt;=),
/// membership (in, not in) and the short-circuiting and/or.
/// </summary>
internal sealed record BinaryExpr(string Op, Expr Left, Expr Right, SourcePosition Position) : Expr(Position);

/// <summary><c>then if cond else otherwise</c>; a missing else yields undefined, as in Jinja.</summary>
internal sealed record ConditionalExpr(Expr Condition, Expr Then, Expr? Otherwise, SourcePosition Position) : Expr(Position);
