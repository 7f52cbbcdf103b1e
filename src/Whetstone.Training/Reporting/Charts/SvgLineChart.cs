using System.Globalization;
using System.Text;
using Whetstone.Training.Reporting.Html;

namespace Whetstone.Training.Reporting.Charts;

/// <summary>
/// Renders a <see cref="LineChart"/> as inline SVG (800 × 320 user units, scaled to the page width): grid, axes with
/// round ticks, a legend, and per series a band or error bars, the raw line and, when asked, an EMA line on top.
/// Series longer than the point budget are down-sampled with <see cref="Lttb"/>; the EMA is computed on every point first.
/// Each series is a <c>&lt;g class="series" data-series=… data-points=N data-drawn=M&gt;</c> so tests can count them.
/// </summary>
internal static class SvgLineChart
{
    private const double Width = 800, Height = 320;
    private const double Left = 64, Right = 16, Bottom = 46, LegendRow = 18;
    private const double CharWidth = 7.5; // ≈ width of a 13 px system-ui glyph, to lay out the legend without measuring text

    /// <summary>The chart's <c>&lt;figure&gt;</c>; <paramref name="maxPoints"/> caps drawn points per series; <paramref name="smoothing"/> is the EMA weight.</summary>
    public static string Render(LineChart chart, int maxPoints, double smoothing)
    {
        var legendRows = LayoutLegend(chart.Series, out var legendPositions);
        var top = 14 + legendRows * LegendRow;
        var plotW = Width - Left - Right;
        var plotH = Height - top - Bottom;

        var prepared = chart.Series.Select(s => Prepare(s, chart.Smooth && smoothing > 0 ? smoothing : 0, maxPoints)).ToList();
        var (xLo, xHi, yLo, yHi) = Extent(chart, prepared);
        var xs = NiceScale.Cover(xLo, xHi, 7);
        var ys = NiceScale.Cover(yLo, yHi, 6);
        double Px(double x) => Left + (x - xs.Min) / (xs.Max - xs.Min) * plotW;
        double Py(double y) => top + plotH - (y - ys.Min) / (ys.Max - ys.Min) * plotH;

        var id = chart.Id;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart\" id=\"{id}\">\n<figcaption>{HtmlText.Encode(chart.Title)}</figcaption>\n");
        sb.Append(CultureInfo.InvariantCulture,
            $"<svg viewBox=\"0 0 {Width} {Height}\" width=\"100%\" role=\"img\" aria-label=\"{HtmlText.Encode(chart.Title)}\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        sb.Append(CultureInfo.InvariantCulture,
            $"<defs><clipPath id=\"{id}-clip\"><rect x=\"{Left}\" y=\"{HtmlText.Coord(top)}\" width=\"{plotW}\" height=\"{HtmlText.Coord(plotH)}\"/></clipPath></defs>\n");

        // Grid and tick labels.
        sb.Append("<g class=\"axis\">");
        foreach (var t in ys.Ticks())
        {
            var y = HtmlText.Coord(Py(t));
            sb.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y}\" y2=\"{y}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y}\" text-anchor=\"end\" dominant-baseline=\"middle\">{ys.Format(t)}</text>");
        }
        foreach (var t in xs.Ticks())
        {
            var x = HtmlText.Coord(Px(t));
            sb.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{x}\" x2=\"{x}\" y1=\"{HtmlText.Coord(top)}\" y2=\"{HtmlText.Coord(top + plotH)}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{HtmlText.Coord(top + plotH + 16)}\" text-anchor=\"middle\">{xs.Format(t)}</text>");
        }
        sb.Append(CultureInfo.InvariantCulture,
            $"<rect class=\"frame\" x=\"{Left}\" y=\"{HtmlText.Coord(top)}\" width=\"{plotW}\" height=\"{HtmlText.Coord(plotH)}\"/>");
        sb.Append(CultureInfo.InvariantCulture,
            $"<text class=\"label\" x=\"{HtmlText.Coord(Left + plotW / 2)}\" y=\"{Height - 8}\" text-anchor=\"middle\">{HtmlText.Encode(chart.XLabel)}</text>");
        sb.Append(CultureInfo.InvariantCulture,
            $"<text class=\"label\" transform=\"translate(14 {HtmlText.Coord(top + plotH / 2)}) rotate(-90)\" text-anchor=\"middle\">{HtmlText.Encode(chart.YLabel)}</text>");
        sb.Append("</g>\n");

        for (var s = 0; s < prepared.Count; s++)
            AppendSeries(sb, chart, prepared[s], s, Px, Py, ys);

        sb.Append("<g class=\"legend\">");
        for (var s = 0; s < chart.Series.Count; s++)
        {
            var (lx, row) = legendPositions[s];
            var ly = 12 + row * LegendRow;
            var color = ChartPalette.Color(s);
            sb.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{HtmlText.Coord(lx)}\" x2=\"{HtmlText.Coord(lx + 18)}\" y1=\"{ly - 4}\" y2=\"{ly - 4}\" stroke=\"{color}\" stroke-width=\"3\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{HtmlText.Coord(lx + 23)}\" y=\"{ly}\">{HtmlText.Encode(chart.Series[s].Name)}</text>");
        }
        sb.Append("</g>\n</svg>\n");

        var notes = prepared.Where(p => p.Drawn < p.Source.X.Count)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{HtmlText.Encode(p.Source.Name)}: {p.Drawn:N0} of {p.Source.X.Count:N0} points drawn (LTTB)"))
            .ToList();
        if (chart.Note is not null) notes.Insert(0, HtmlText.Encode(chart.Note));
        if (notes.Count > 0) sb.Append("<p class=\"chart-note\">").Append(string.Join("; ", notes)).Append("</p>\n");
        sb.Append("</figure>\n");
        return sb.ToString();
    }

    private sealed record Prepared(ChartSeries Source, int Drawn, double[] X, double[] Y, double[]? Ema, double[]? Low, double[]? High)
    {
        public double[]? EmaLow { get; init; }
        public double[]? EmaHigh { get; init; }
    }

    private static void AppendBand(StringBuilder sb, string cssClass, string color, string clip, double[] x, double[] low, double[] high,
        Func<double, double> px, Func<double, double> py)
    {
        var upper = Enumerable.Range(0, x.Length).Where(i => double.IsFinite(high[i])).Select(i => $"{HtmlText.Coord(px(x[i]))},{HtmlText.Coord(py(high[i]))}");
        var lower = Enumerable.Range(0, x.Length).Reverse().Where(i => double.IsFinite(low[i])).Select(i => $"{HtmlText.Coord(px(x[i]))},{HtmlText.Coord(py(low[i]))}");
        sb.Append(CultureInfo.InvariantCulture, $"<polygon class=\"{cssClass}\" fill=\"{color}\"{clip} points=\"{string.Join(' ', upper.Concat(lower))}\"/>");
    }

    private static Prepared Prepare(ChartSeries s, double smoothing, int maxPoints)
    {
        var keep = Lttb.Select(s.X, s.Y, maxPoints);
        var ema = smoothing > 0 ? Ema.Smooth(s.Y, smoothing) : null;
        double[] Pick(IReadOnlyList<double> v) => keep.Select(i => v[i]).ToArray();
        double[]? emaLow = null, emaHigh = null;
        if (ema is not null && s.Low is not null && s.High is not null)
        {
            // Smooth the spread (half-width) where it is known; points without one stay NaN.
            var half = Enumerable.Range(0, s.Y.Count).Select(i => (s.High[i] - s.Low[i]) / 2).ToArray();
            var known = half.Select(double.IsFinite).ToArray();
            var smoothHalf = Ema.Smooth(half.Select(h => double.IsFinite(h) ? h : 0).ToArray(), smoothing);
            emaLow = keep.Select(i => known[i] ? ema[i] - smoothHalf[i] : double.NaN).ToArray();
            emaHigh = keep.Select(i => known[i] ? ema[i] + smoothHalf[i] : double.NaN).ToArray();
        }
        return new Prepared(s, keep.Length, Pick(s.X), Pick(s.Y), ema is null ? null : Pick(ema),
            s.Low is null ? null : Pick(s.Low), s.High is null ? null : Pick(s.High)) { EmaLow = emaLow, EmaHigh = emaHigh };
    }

    private static (double, double, double, double) Extent(LineChart chart, List<Prepared> series)
    {
        double xLo = double.PositiveInfinity, xHi = double.NegativeInfinity, yLo = double.PositiveInfinity, yHi = double.NegativeInfinity;
        void Y(double v) { if (double.IsFinite(v)) { yLo = Math.Min(yLo, v); yHi = Math.Max(yHi, v); } }
        foreach (var p in series)
        {
            foreach (var x in p.X) { xLo = Math.Min(xLo, x); xHi = Math.Max(xHi, x); }
            foreach (var v in p.Y) Y(v);
            foreach (var v in p.Low ?? []) Y(v);
            foreach (var v in p.High ?? []) Y(v);
        }
        if (chart.YMin is { } min) yLo = Math.Min(min, double.IsFinite(yLo) ? yLo : min);
        if (chart.YMax is { } max) yHi = Math.Max(max, double.IsFinite(yHi) ? yHi : max);
        return (xLo, xHi, yLo, yHi);
    }

    private static void AppendSeries(StringBuilder sb, LineChart chart, Prepared p, int index,
        Func<double, double> px, Func<double, double> py, NiceScale ys)
    {
        var color = ChartPalette.Color(index);
        var name = HtmlText.Encode(p.Source.Name);
        sb.Append(CultureInfo.InvariantCulture,
            $"<g class=\"series\" data-series=\"{name}\" data-points=\"{p.Source.X.Count}\" data-drawn=\"{p.Drawn}\">");

        // Lines and bands are clipped to the plot (a band may overshoot a fixed range); markers and error bars are
        // not, so the ones on the first and last tick stay whole.
        var clip = $" clip-path=\"url(#{chart.Id}-clip)\"";
        if (p.Low is not null && p.High is not null)
        {
            if (p.Source.Spread == SpreadStyle.Band)
            {
                if (p.Ema is null) AppendBand(sb, "band", color, clip, p.X, p.Low, p.High, px, py);
                else
                {
                    // Raw y ± spread is as noisy as y; with smoothing on, the band follows the EMA line instead
                    // (the EMA is linear, so EMA(y ± s) = EMA(y) ± EMA(s)). CSS shows one band or the other.
                    AppendBand(sb, "band raw-band", color, clip, p.X, p.Low, p.High, px, py);
                    AppendBand(sb, "band ema-band", color, clip, p.X, p.EmaLow!, p.EmaHigh!, px, py);
                }
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"<g class=\"errbars\" stroke=\"{color}\">");
                for (var i = 0; i < p.Drawn; i++)
                {
                    if (!double.IsFinite(p.Low[i]) || !double.IsFinite(p.High[i])) continue;
                    var x = px(p.X[i]);
                    var (y1, y2) = (HtmlText.Coord(py(p.Low[i])), HtmlText.Coord(py(p.High[i])));
                    sb.Append(CultureInfo.InvariantCulture,
                        $"<path d=\"M{HtmlText.Coord(x)} {y1}V{y2}M{HtmlText.Coord(x - 4)} {y1}h8M{HtmlText.Coord(x - 4)} {y2}h8\"/>");
                }
                sb.Append("</g>");
            }
        }

        var points = string.Join(' ', Enumerable.Range(0, p.Drawn).Select(i => $"{HtmlText.Coord(px(p.X[i]))},{HtmlText.Coord(py(p.Y[i]))}"));
        var rawClass = p.Ema is null ? "line" : "raw";
        sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"{rawClass}\" stroke=\"{color}\"{clip} points=\"{points}\"/>");
        if (p.Ema is not null)
        {
            var smooth = string.Join(' ', Enumerable.Range(0, p.Drawn).Select(i => $"{HtmlText.Coord(px(p.X[i]))},{HtmlText.Coord(py(p.Ema[i]))}"));
            sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"ema\" stroke=\"{color}\"{clip} points=\"{smooth}\"/>");
        }
        if (chart.Markers || p.Drawn == 1)
        {
            for (var i = 0; i < p.Drawn; i++)
            {
                var tip = $"{p.Source.Name} · {chart.XLabel} {HtmlText.Number(p.X[i])}: {HtmlText.Number(p.Y[i])}";
                if (p.Low is not null && p.High is not null && double.IsFinite(p.Low[i]) && double.IsFinite(p.High[i]))
                    tip += $" [{HtmlText.Number(p.Low[i])}, {HtmlText.Number(p.High[i])}]";
                sb.Append(CultureInfo.InvariantCulture,
                    $"<circle class=\"pt\" fill=\"{color}\" cx=\"{HtmlText.Coord(px(p.X[i]))}\" cy=\"{HtmlText.Coord(py(p.Y[i]))}\" r=\"3.5\"><title>{HtmlText.Encode(tip)}</title></circle>");
            }
        }
        sb.Append("</g>\n");
    }

    /// <summary>Places legend entries left to right from the plot's left edge, wrapping rows; returns the row count.</summary>
    private static int LayoutLegend(IReadOnlyList<ChartSeries> series, out List<(double X, int Row)> positions)
    {
        positions = [];
        double x = Left;
        var row = 0;
        foreach (var s in series)
        {
            var w = 23 + Math.Min(s.Name.Length, 60) * CharWidth + 18;
            if (x + w > Width - Right && x > Left) { row++; x = Left; }
            positions.Add((x, row));
            x += w;
        }
        return Math.Max(1, row + 1);
    }
}
