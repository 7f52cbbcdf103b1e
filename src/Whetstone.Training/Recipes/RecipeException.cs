namespace Whetstone.Training.Recipes;

/// <summary>A recipe file or a command-line override that cannot be used; the message names the file, line and key.</summary>
public sealed class RecipeException(string message) : Exception(message);
