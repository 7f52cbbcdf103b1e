using System.Text.Json;
using Whetstone.Agents.Tools;

namespace Whetstone.Agents.Tests.Tools;

public class ToolArgumentValidatorTests
{
    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "expression": {"type": "string", "minLength": 1, "maxLength": 10},
            "unit": {"type": "string", "enum": ["C", "F"]},
            "days": {"type": "integer", "minimum": 1, "maximum": 14},
            "ratio": {"type": "number", "exclusiveMinimum": 0},
            "flag": {"type": "boolean"},
            "note": {"type": ["string", "null"]},
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
            "point": {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"]}
          },
          "required": ["expression"],
          "additionalProperties": false
        }
        """;

    private static IReadOnlyList<string> Validate(string arguments) =>
        ToolArgumentValidator.Validate(JsonDocument.Parse(Schema).RootElement, JsonDocument.Parse(arguments).RootElement);

    [Fact]
    public void ValidArgumentsHaveNoErrors()
    {
        Assert.Empty(Validate("""{"expression":"2+2","unit":"C","days":3,"ratio":0.5,"flag":true,"note":null,"tags":["a"],"point":{"x":1}}"""));
        Assert.Empty(Validate("""{"expression":"2+2","days":3.0,"note":"n"}"""));
    }

    [Fact]
    public void MissingRequiredArgumentIsNamed() =>
        Assert.Equal(["argument \"expression\" is required"], Validate("{}"));

    [Fact]
    public void EnumViolationListsTheAllowedValues() =>
        Assert.Equal(["argument \"unit\" must be one of [\"C\",\"F\"], got \"K\""], Validate("""{"expression":"1","unit":"K"}"""));

    [Theory]
    [InlineData("""{"expression":"1","days":"three"}""", "argument \"days\" must be an integer, got \"three\"")]
    [InlineData("""{"expression":"1","days":2.5}""", "argument \"days\" must be an integer, got 2.5")]
    [InlineData("""{"expression":5}""", "argument \"expression\" must be a string, got 5")]
    [InlineData("""{"expression":"1","flag":"yes"}""", "argument \"flag\" must be a boolean, got \"yes\"")]
    [InlineData("""{"expression":"1","note":3}""", "argument \"note\" must be a string or null, got 3")]
    [InlineData("""{"expression":"1","tags":"a"}""", "argument \"tags\" must be an array, got \"a\"")]
    [InlineData("""{"expression":"1","point":[1]}""", "argument \"point\" must be an object, got [1]")]
    public void TypeViolationsSayWhatWasExpectedAndWhatCame(string arguments, string expected) =>
        Assert.Equal([expected], Validate(arguments));

    [Theory]
    [InlineData("""{"expression":"1","days":0}""", "argument \"days\" must be at least 1, got 0")]
    [InlineData("""{"expression":"1","days":15}""", "argument \"days\" must be at most 14, got 15")]
    [InlineData("""{"expression":"1","ratio":0}""", "argument \"ratio\" must be greater than 0, got 0")]
    [InlineData("""{"expression":""}""", "argument \"expression\" must have at least 1 characters, got 0")]
    [InlineData("""{"expression":"12345678901"}""", "argument \"expression\" must have at most 10 characters, got 11")]
    [InlineData("""{"expression":"1","tags":["a","b","c"]}""", "argument \"tags\" must have at most 2 items, got 3")]
    public void RangeAndLengthViolations(string arguments, string expected) =>
        Assert.Equal([expected], Validate(arguments));

    [Fact]
    public void NestedPathsNameTheElement()
    {
        Assert.Equal(["argument \"tags[1]\" must be a string, got 2"], Validate("""{"expression":"1","tags":["a",2]}"""));
        Assert.Equal(["argument \"point.x\" is required"], Validate("""{"expression":"1","point":{}}"""));
    }

    [Fact]
    public void UnexpectedArgumentIsRejectedWhenAdditionalPropertiesIsFalse()
    {
        var errors = Validate("""{"expression":"1","colour":"red"}""");
        var error = Assert.Single(errors);
        Assert.StartsWith("unexpected argument \"colour\"; allowed arguments: \"expression\", \"unit\"", error);
    }

    [Fact]
    public void SeveralViolationsAreAllReported() =>
        Assert.Equal(2, Validate("""{"unit":"K"}""").Count);

    [Fact]
    public void NonObjectArgumentsAreRejected() =>
        Assert.Equal(["arguments must be an object, got [1,2]"], Validate("[1,2]"));

    [Fact]
    public void HugeNumbersAreReportedNotThrown()
    {
        Assert.Equal(["argument \"days\" must be at most 14, got 1e400"], Validate("""{"expression":"1","days":1e400}"""));
        Assert.Empty(Validate("""{"expression":"1","ratio":1e400}"""));
    }
}
