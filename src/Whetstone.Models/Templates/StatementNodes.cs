namespace Whetstone.Models.Templates;

// The statement half of the template AST: what a template body is made of.

internal abstract record Node(SourcePosition Position);

internal sealed record TextNode(string Text, SourcePosition Position) : Node(Position);

/// <summary><c>{{ expr }}</c>.</summary>
internal sealed record OutputNode(Expr Value, SourcePosition Position) : Node(Position);

/// <summary><c>{% if %}…{% elif %}…{% else %}…{% endif %}</c>; branches are tried in order.</summary>
internal sealed record IfNode(IReadOnlyList<(Expr Condition, IReadOnlyList<Node> Body)> Branches, IReadOnlyList<Node>? Else, SourcePosition Position) : Node(Position);

/// <summary><c>{% for a, b in iter if cond %}…{% else %}…{% endfor %}</c>.</summary>
internal sealed record ForNode(IReadOnlyList<string> Targets, Expr Iterable, Expr? Filter, IReadOnlyList<Node> Body, IReadOnlyList<Node>? Else, SourcePosition Position) : Node(Position);

/// <summary>Left side of a set: plain names (tuple unpacking when several) or one <c>ns.attr</c>.</summary>
internal sealed record SetTarget(IReadOnlyList<string> Names, string? Attribute);

/// <summary><c>{% set target = expr %}</c>.</summary>
internal sealed record SetNode(SetTarget Target, Expr Value, SourcePosition Position) : Node(Position);

/// <summary><c>{% set name | filters %}…{% endset %}</c>: captures the rendered body as a string.</summary>
internal sealed record SetBlockNode(SetTarget Target, IReadOnlyList<(string Name, Arguments Args, SourcePosition Position)> Filters, IReadOnlyList<Node> Body, SourcePosition Position) : Node(Position);

/// <summary><c>{% macro name(a, b=default) %}…{% endmacro %}</c>.</summary>
internal sealed record MacroNode(string Name, IReadOnlyList<(string Name, Expr? Default)> Parameters, IReadOnlyList<Node> Body, SourcePosition Position) : Node(Position);

/// <summary><c>{% filter name(args) %}…{% endfilter %}</c>: the rendered body is passed through the filter.</summary>
internal sealed record FilterBlockNode(string Name, Arguments Args, IReadOnlyList<Node> Body, SourcePosition Position) : Node(Position);

/// <summary><c>{% with a = x %}…{% endwith %}</c>: a body with its own scope.</summary>
internal sealed record WithNode(IReadOnlyList<(string Name, Expr Value)> Assignments, IReadOnlyList<Node> Body, SourcePosition Position) : Node(Position);

/// <summary>
/// A body rendered in place with no scope of its own: Hugging Face's <c>{% generation %}</c> tag,
/// which marks assistant text for the assistant-token mask but renders its body unchanged.
/// </summary>
internal sealed record PassThroughNode(IReadOnlyList<Node> Body, SourcePosition Position) : Node(Position);

internal sealed record BreakNode(SourcePosition Position) : Node(Position);

internal sealed record ContinueNode(SourcePosition Position) : Node(Position);
