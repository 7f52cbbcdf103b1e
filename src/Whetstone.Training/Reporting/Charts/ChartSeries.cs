namespace Whetstone.Training.Reporting.Charts;

/// <summary>How a series' <see cref="ChartSeries.Low"/>/<see cref="ChartSeries.High"/> are drawn.</summary>
internal enum SpreadStyle
{
    /// <summary>A shaded band between low and high (e.g. reward mean ± std).</summary>
    Band,

    /// <summary>A vertical error bar at each point (e.g. a 95% confidence interval).</summary>
    ErrorBars,
}

/// <summary>
/// One line of a chart: points (x[i], y[i]) sorted by x, optionally with a spread low[i]..high[i] per point
/// (NaN where a point has none).
/// </summary>
internal sealed record ChartSeries
{
    /// <summary>Legend label.</summary>
    public required string Name { get; init; }

    /// <summary>x of each point, ascending.</summary>
    public required IReadOnlyList<double> X { get; init; }

    /// <summary>y of each point; same length as <see cref="X"/>.</summary>
    public required IReadOnlyList<double> Y { get; init; }

    /// <summary>Lower end of the spread per point, or null for none.</summary>
    public IReadOnlyList<double>? Low { get; init; }

    /// <summary>Upper end of the spread per point, or null for none.</summary>
    public IReadOnlyList<double>? High { get; init; }

    /// <summary>How the spread is drawn.</summary>
    public SpreadStyle Spread { get; init; } = SpreadStyle.Band;
}

/// <summary>A line chart to render: a stable element id, labels, series and the y range when it is fixed.</summary>
internal sealed record LineChart
{
    /// <summary>Element id of the chart's figure (<c>chart-loss</c>); tests and the browser check look charts up by it.</summary>
    public required string Id { get; init; }

    /// <summary>Heading above the chart.</summary>
    public required string Title { get; init; }

    /// <summary>x-axis label.</summary>
    public string XLabel { get; init; } = "step";

    /// <summary>y-axis label.</summary>
    public required string YLabel { get; init; }

    /// <summary>The lines, one legend entry each.</summary>
    public required IReadOnlyList<ChartSeries> Series { get; init; }

    /// <summary>Fixed lower y bound (e.g. 0 for a success rate), or null to fit the data.</summary>
    public double? YMin { get; init; }

    /// <summary>Fixed upper y bound, or null to fit the data.</summary>
    public double? YMax { get; init; }

    /// <summary>Whether to draw an EMA-smoothed line over the raw points (noisy training curves).</summary>
    public bool Smooth { get; init; }

    /// <summary>A remark printed under the chart (e.g. how many non-finite values were left out), or null.</summary>
    public string? Note { get; init; }

    /// <summary>Draw a dot at every point (few points, e.g. evaluations).</summary>
    public bool Markers { get; init; }
}
