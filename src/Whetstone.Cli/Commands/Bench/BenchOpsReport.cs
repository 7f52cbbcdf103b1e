using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>Formats a <see cref="BenchOpsResult"/> as a markdown table or as one JSON object.</summary>
public static class BenchOpsReport
{
    /// <summary>Markdown table: kernel, shape, MB per call, median ms, GB/s, fraction of the copy bandwidth.</summary>
    public static string Table(BenchOpsResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"whet bench ops — {r.Date:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, SIMD: {r.Simd}, arrays {r.ArrayMiB} MiB, median of {r.Repetitions}");
        sb.AppendLine(inv, $"copy (Span.CopyTo, read + write): {r.CopyGigabytesPerSecond:F1} GB/s wall, {r.CopyCpuGigabytesPerSecond:F1} GB/s by thread CPU time");
        sb.AppendLine();
        sb.AppendLine("| kernel | shape | MB/call | median ms | GB/s | of copy | GB/s (cpu) | of copy (cpu) |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var k in r.Kernels)
            sb.AppendLine(inv, $"| {k.Name} | {k.Shape} | {k.Bytes / 1e6:F0} | {k.MedianSeconds * 1e3:F2} | {k.GigabytesPerSecond:F1} | {k.FractionOfCopy:P0} | {k.CpuGigabytesPerSecond:F1} | {k.CpuFractionOfCopy:P0} |");
        return sb.ToString().TrimEnd();
    }

    /// <summary>One JSON object with the run settings, the copy bandwidth and every kernel.</summary>
    public static string Json(BenchOpsResult r)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("benchmark", "ops");
            w.WriteString("date", r.Date.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            w.WriteNumber("cores", Environment.ProcessorCount);
            w.WriteString("simd", r.Simd);
            w.WriteNumber("array_mib", r.ArrayMiB);
            w.WriteNumber("repetitions", r.Repetitions);
            w.WriteNumber("copy_gbps", Math.Round(r.CopyGigabytesPerSecond, 2));
            w.WriteNumber("copy_cpu_gbps", Math.Round(r.CopyCpuGigabytesPerSecond, 2));
            w.WriteStartArray("kernels");
            foreach (var k in r.Kernels)
            {
                w.WriteStartObject();
                w.WriteString("name", k.Name);
                w.WriteString("shape", k.Shape);
                w.WriteNumber("bytes", k.Bytes);
                w.WriteNumber("median_ms", Math.Round(k.MedianSeconds * 1e3, 4));
                w.WriteNumber("gbps", Math.Round(k.GigabytesPerSecond, 2));
                w.WriteNumber("fraction_of_copy", Math.Round(k.FractionOfCopy, 3));
                w.WriteNumber("median_cpu_ms", Math.Round(k.MedianCpuSeconds * 1e3, 4));
                w.WriteNumber("cpu_gbps", Math.Round(k.CpuGigabytesPerSecond, 2));
                w.WriteNumber("cpu_fraction_of_copy", Math.Round(k.CpuFractionOfCopy, 3));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
