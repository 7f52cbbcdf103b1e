using System.Diagnostics;
using System.Runtime.InteropServices;
using Whetstone.Tensors.Kernels;
using Whetstone.Tensors.Threading;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>One GEMM to time: C(m, n) = op(A)·op(B) with op(A): (m, k).</summary>
/// <param name="M">Rows of C.</param>
/// <param name="N">Columns of C.</param>
/// <param name="K">Reduction length.</param>
/// <param name="TransA">Whether A is stored (k, m).</param>
/// <param name="TransB">Whether B is stored (n, k).</param>
internal sealed record GemmBenchShape(int M, int N, int K, Transpose TransA, Transpose TransB)
{
    /// <summary>"MxNxK" plus NN/NT/TN/TT, e.g. "512x4096x1024 NT".</summary>
    public string Name => $"{M}x{N}x{K} {(TransA == Transpose.None ? 'N' : 'T')}{(TransB == Transpose.None ? 'N' : 'T')}";

    /// <summary>Floating-point operations of one product: 2·m·n·k.</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>Parses "MxNxK OP" items separated by ';' (OP is NN, NT, TN or TT; NN when left out).</summary>
    public static bool TryParseList(string text, out List<GemmBenchShape> shapes, out string? error)
    {
        shapes = new List<GemmBenchShape>();
        foreach (string item in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = item.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string[] dims = parts[0].Split('x');
            string op = parts.Length > 1 ? parts[1].ToUpperInvariant() : "NN";
            if (parts.Length > 2 || dims.Length != 3 || op.Length != 2 || op.Any(ch => ch is not ('N' or 'T'))
                || !int.TryParse(dims[0], out int m) || !int.TryParse(dims[1], out int n) || !int.TryParse(dims[2], out int k)
                || m < 1 || n < 1 || k < 1)
            {
                error = $"'{item}' is not a shape like '512x1024x4096 NT' (M x N x K, then NN, NT, TN or TT).";
                return false;
            }
            shapes.Add(new GemmBenchShape(m, n, k, op[0] == 'T' ? Transpose.Transposed : Transpose.None,
                op[1] == 'T' ? Transpose.Transposed : Transpose.None));
        }
        error = shapes.Count == 0 ? "no shapes given." : null;
        return shapes.Count > 0;
    }
}

/// <summary>One measured row: median GFLOP/s of Whetstone and, when loaded, of OpenBLAS in the same run.</summary>
internal sealed record GemmBenchResult(string Shape, int Threads, double Gflops, double? OpenBlasGflops)
{
    /// <summary>Whetstone ÷ OpenBLAS, or null without OpenBLAS.</summary>
    public double? Ratio => OpenBlasGflops is > 0 ? Gflops / OpenBlasGflops : null;
}

/// <summary>
/// Times Whetstone's GEMM (and OpenBLAS's when present) on square and transformer shapes.
/// Whetstone and OpenBLAS samples alternate, so both see the same background load; each reports its median.
/// </summary>
internal static unsafe class GemmBenchmark
{
    /// <summary>Square 256…2048, then a (512 tokens) transformer's linear layers: d_model 1024, FFN 4096, each as NN, NT and TN.</summary>
    public static IReadOnlyList<GemmBenchShape> DefaultShapes()
    {
        var shapes = new List<GemmBenchShape>();
        foreach (int s in new[] { 256, 512, 1024, 2048 })
            shapes.Add(new GemmBenchShape(s, s, s, Transpose.None, Transpose.None));
        foreach (var (m, n, k) in new[] { (512, 1024, 1024), (512, 4096, 1024), (512, 1024, 4096) })
        {
            shapes.Add(new GemmBenchShape(m, n, k, Transpose.None, Transpose.None));
            shapes.Add(new GemmBenchShape(m, n, k, Transpose.None, Transpose.Transposed));
            shapes.Add(new GemmBenchShape(m, n, k, Transpose.Transposed, Transpose.None));
        }
        return shapes;
    }

    /// <summary>
    /// Measures every shape at every thread count: a warm-up, then <paramref name="repeat"/> timed samples
    /// per library, each sample long enough (≥ <paramref name="minSampleSeconds"/>) for the timer not to matter.
    /// </summary>
    public static List<GemmBenchResult> Run(IEnumerable<GemmBenchShape> shapes, IReadOnlyList<int> threadCounts,
        int repeat, OpenBlasSgemm? openBlas, double minSampleSeconds = 0.02, Action<GemmBenchResult>? progress = null)
    {
        var results = new List<GemmBenchResult>();
        int savedThreads = ComputeThreads.Count;
        try
        {
            foreach (var shape in shapes)
            {
                using var operands = new Operands(shape);
                foreach (int threads in threadCounts)
                {
                    ComputeThreads.Count = threads;
                    openBlas?.SetThreads(threads);
                    Action whet = () => operands.RunWhetstone();
                    Action? blas = openBlas is null ? null : () => operands.RunOpenBlas(openBlas);
                    var (whetSeconds, blasSeconds) = MedianSeconds(whet, blas, repeat, minSampleSeconds);
                    var result = new GemmBenchResult(shape.Name, threads, shape.Flops / whetSeconds / 1e9,
                        blasSeconds is double b ? shape.Flops / b / 1e9 : null);
                    results.Add(result);
                    progress?.Invoke(result);
                }
            }
        }
        finally
        {
            ComputeThreads.Count = savedThreads;
        }
        return results;
    }

    // Median seconds per call of each action; samples of the two alternate.
    private static (double, double?) MedianSeconds(Action whet, Action? blas, int repeat, double minSampleSeconds)
    {
        int whetIterations = Calibrate(whet, minSampleSeconds);
        int blasIterations = blas is null ? 0 : Calibrate(blas, minSampleSeconds);
        var whetSamples = new List<double>();
        var blasSamples = new List<double>();
        for (int r = 0; r < repeat; r++)
        {
            whetSamples.Add(Time(whet, whetIterations));
            if (blas is not null)
                blasSamples.Add(Time(blas, blasIterations));
        }
        return (Median(whetSamples), blas is null ? null : Median(blasSamples));
    }

    // Warms up for at least 0.2 s (JIT tiers settle, buffers grow, threads start) and picks iterations per sample.
    private static int Calibrate(Action action, double minSampleSeconds)
    {
        long start = Stopwatch.GetTimestamp();
        int warmups = 0;
        while (warmups < 3 || (warmups < 1000 && Stopwatch.GetElapsedTime(start).TotalSeconds < 0.2))
        {
            action();
            warmups++;
        }
        double once = Stopwatch.GetElapsedTime(start).TotalSeconds / warmups;
        return (int)Math.Clamp(Math.Ceiling(minSampleSeconds / Math.Max(once, 1e-7)), 1, 10_000);
    }

    private static double Time(Action action, int iterations)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < iterations; i++)
            action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds / iterations;
    }

    private static double Median(List<double> samples)
    {
        samples.Sort();
        int mid = samples.Count / 2;
        return samples.Count % 2 == 1 ? samples[mid] : 0.5 * (samples[mid - 1] + samples[mid]);
    }

    // 64-byte aligned A, B, C filled with values in [-1, 1].
    private sealed class Operands : IDisposable
    {
        private readonly GemmBenchShape _shape;
        private readonly float* _a, _b, _c;
        private readonly int _lda, _ldb;

        public Operands(GemmBenchShape shape)
        {
            _shape = shape;
            _lda = shape.TransA == Transpose.None ? shape.K : shape.M;
            _ldb = shape.TransB == Transpose.None ? shape.N : shape.K;
            _a = Allocate((long)shape.M * shape.K, seed: 1);
            _b = Allocate((long)shape.K * shape.N, seed: 2);
            _c = Allocate((long)shape.M * shape.N, seed: 3);
        }

        public void RunWhetstone() => Tensors.Kernels.Gemm.Multiply(_shape.TransA, _shape.TransB, _shape.M, _shape.N, _shape.K,
            1f, _a, _lda, _b, _ldb, 0f, _c, _shape.N);

        public void RunOpenBlas(OpenBlasSgemm blas) => blas.Multiply(_shape.TransA != Transpose.None, _shape.TransB != Transpose.None,
            _shape.M, _shape.N, _shape.K, 1f, _a, _lda, _b, _ldb, 0f, _c, _shape.N);

        public void Dispose()
        {
            NativeMemory.AlignedFree(_a);
            NativeMemory.AlignedFree(_b);
            NativeMemory.AlignedFree(_c);
        }

        private static float* Allocate(long count, int seed) => BenchBuffers.AlignedRandom(count, seed, halfRange: 1);
    }
}
