namespace Whetstone.Models.Templates;

/// <summary>What a lexer token is.</summary>
internal enum TokenKind
{
    Text,
    VariableBegin,
    VariableEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    Eof,
}

/// <summary>
/// One lexer token. <see cref="Value"/> is the literal text for Text/Name/Operator, the unescaped
/// contents for String, and the digits for numbers.
/// </summary>
internal readonly record struct Token(TokenKind Kind, string Value, SourcePosition Position)
{
    public bool Is(TokenKind kind, string value) => Kind == kind && Value == value;

    public bool IsOperator(string op) => Kind == TokenKind.Operator && Value == op;

    public bool IsName(string name) => Kind == TokenKind.Name && Value == name;

    public string Describe() => Kind switch
    {
        TokenKind.Eof => "end of template",
        TokenKind.Text => "template text",
        TokenKind.VariableBegin => "'{{'",
        TokenKind.VariableEnd => "'}}'",
        TokenKind.BlockBegin => "'{%'",
        TokenKind.BlockEnd => "'%}'",
        TokenKind.String => $"string '{Value}'",
        _ => $"'{Value}'",
    };
}
