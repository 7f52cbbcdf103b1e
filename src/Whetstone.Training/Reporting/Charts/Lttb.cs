namespace Whetstone.Training.Reporting.Charts;

/// <summary>
/// Largest-Triangle-Three-Buckets down-sampling (Steinarsson 2013): keeps the first and last points and, from each of
/// the n−2 buckets between them, the point that forms the largest triangle with the point kept before it and the mean
/// of the next bucket. Spikes survive, unlike with striding or averaging, which matters for loss and KL curves.
/// </summary>
internal static class Lttb
{
    /// <summary>Indices (ascending) of at most <paramref name="threshold"/> points of (x, y) to keep; all indices when there are fewer.</summary>
    public static int[] Select(IReadOnlyList<double> x, IReadOnlyList<double> y, int threshold)
    {
        var n = x.Count;
        if (threshold < 3 || n <= threshold) return Enumerable.Range(0, n).ToArray();
        var kept = new int[threshold];
        kept[0] = 0;
        var bucketSize = (double)(n - 2) / (threshold - 2);
        var a = 0;
        for (var b = 0; b < threshold - 2; b++)
        {
            var start = (int)Math.Floor(b * bucketSize) + 1;
            var end = (int)Math.Floor((b + 1) * bucketSize) + 1;
            var nextStart = end;
            var nextEnd = Math.Min((int)Math.Floor((b + 2) * bucketSize) + 1, n);
            double meanX = 0, meanY = 0;
            for (var i = nextStart; i < nextEnd; i++) { meanX += x[i]; meanY += y[i]; }
            var nextCount = Math.Max(1, nextEnd - nextStart);
            meanX /= nextCount;
            meanY /= nextCount;
            if (nextEnd <= nextStart) { meanX = x[n - 1]; meanY = y[n - 1]; }

            var best = start;
            var bestArea = -1.0;
            for (var i = start; i < end; i++)
            {
                var area = Math.Abs((x[a] - meanX) * (y[i] - y[a]) - (x[a] - x[i]) * (meanY - y[a]));
                if (area > bestArea) { bestArea = area; best = i; }
            }
            kept[b + 1] = best;
            a = best;
        }
        kept[threshold - 1] = n - 1;
        return kept;
    }
}
