namespace Whetstone.Agents.Formats;

/// <summary>
/// Converts a JSONL file from one record format to another, line by line (one record in memory at a time). The output
/// appears only if every line converted: it is written to a temporary file beside it and renamed at the end.
/// </summary>
public static class JsonlConverter
{
    /// <summary>Converts <paramref name="inputPath"/> (in <paramref name="from"/>) to <paramref name="outputPath"/> (in <paramref name="to"/>).</summary>
    /// <returns>The number of records written.</returns>
    /// <exception cref="JsonlFormatException">A line of the input is malformed (<c>IN:line: field: problem</c>); no output file is left.</exception>
    /// <exception cref="FileNotFoundException">The input does not exist.</exception>
    public static int Convert(string inputPath, ITrajectoryFormat from, string outputPath, ITrajectoryFormat to)
    {
        if (!File.Exists(inputPath)) throw new FileNotFoundException($"Input file not found: {inputPath}", inputPath);
        if (Path.GetFullPath(inputPath) == Path.GetFullPath(outputPath))
            throw new ArgumentException($"Input and output are the same file: {inputPath}", nameof(outputPath));
        var count = 0;
        using var output = AtomicFile.Create(outputPath);
        foreach (var (_, trajectory) in TrajectoryJsonl.ReadWithLines(inputPath, from))
        {
            output.Writer.Write(TrajectoryJsonl.ToLine(trajectory, to));
            output.Writer.Write('\n');
            count++;
        }
        output.Commit();
        return count;
    }
}
