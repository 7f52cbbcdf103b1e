using System.Diagnostics;
using System.Runtime.Intrinsics;
using Whetstone.Tensors.Kernels;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>
/// Runs the ops benchmark: allocates a few arrays of the given size (well above L2, and above L3 at the default
/// 32 MiB) and times each kernel on them. Each kernel call is paired with a plain copy of one array timed right
/// before it, so a kernel's fraction of the copy bandwidth compares runs under the same load (the machine is
/// shared). Each sample is timed twice: wall clock, and this thread's CPU time (Linux), which leaves out the
/// time the thread sat descheduled. Bytes per call count each array the kernel must read or write once (an
/// in-out gradient counts twice).
/// </summary>
public static class BenchOpsRunner
{
    private const int Vocab = 151_936;   // Qwen2.5 vocabulary: one cross-entropy row is 594 KiB
    private const int Hidden = 2048;     // norm row length
    private const int KeyLength = 1024;  // attention-softmax row length
    private const int Heads = 16, HeadDim = 128;

    /// <summary>Runs every measurement; progress lines go to <paramref name="progress"/> when given.</summary>
    public static BenchOpsResult Run(int arrayMiB, int repetitions, TextWriter? progress)
    {
        int n = arrayMiB * (1 << 20) / sizeof(float);
        var rng = new Random(1234);
        float[] Fill(float lo, float hi) { var x = GC.AllocateUninitializedArray<float>(n); for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * rng.NextSingle(); return x; }
        float[] a = Fill(-1, 1), b = Fill(-1, 1), c = Fill(-1, 1), d = Fill(-1, 1), e = Fill(-1, 1);
        long f = sizeof(float);

        long copyBytes = 2L * n * sizeof(float);
        var copyWall = new List<double>(); var copyCpu = new List<double>();
        void Copy() => a.AsSpan().CopyTo(e);

        var kernels = new List<BenchOpsKernel>();
        void Add(string name, string shape, long bytes, Action call)
        {
            var s = Samples(call, Copy, repetitions);
            copyWall.AddRange(s.CopyWall); copyCpu.AddRange(s.CopyCpu);
            var k = new BenchOpsKernel(name, shape, bytes, Median(s.Wall), Median(s.Cpu),
                PairedCopyGigabytesPerSecond: copyBytes / Median(s.CopyWall) / 1e9,
                PairedCopyCpuGigabytesPerSecond: copyBytes / Median(s.CopyCpu) / 1e9);
            kernels.Add(k);
            progress?.WriteLine($"  {name,-24} {k.GigabytesPerSecond,6:F1} GB/s wall ({k.FractionOfCopy,4:P0} of copy), {k.CpuGigabytesPerSecond,6:F1} GB/s cpu ({k.CpuFractionOfCopy,4:P0})");
        }

        string flat = $"({n})";
        Add("add.forward", flat, 3 * n * f, () => AddKernel.Forward(a, b, c));
        Add("mul.forward", flat, 3 * n * f, () => MulKernel.Forward(a, b, c));
        Add("scale.forward", flat, 2 * n * f, () => ScaleKernel.Forward(a, 0.5f, c));
        Add("axpy (accumulate)", flat, 3 * n * f, () => AddScaledKernel.Accumulate(1e-3f, a, c));
        Add("silu.forward", flat, 2 * n * f, () => SiluKernel.Forward(a, c));
        Add("silu.backward", flat, 4 * n * f, () => SiluKernel.Backward(a, b, c));
        Add("swiglu.forward", flat, 3 * n * f, () => SwiGluKernel.Forward(a, b, c));
        Add("swiglu.backward", flat, 7 * n * f, () => SwiGluKernel.Backward(a, b, c, d, e));
        Add("gelu_tanh.forward", flat, 2 * n * f, () => GeluTanhKernel.Forward(a, c));

        int normRows = n / Hidden, normN = normRows * Hidden;
        var w = new float[Hidden]; var bias = new float[Hidden]; var dw = new float[Hidden]; var db = new float[Hidden];
        Array.Fill(w, 1.1f);
        var rstd = new float[normRows]; var mean = new float[normRows];
        string normShape = $"({normRows}, {Hidden})";
        var an = a.AsMemory(0, normN); var bn = b.AsMemory(0, normN); var cn = c.AsMemory(0, normN);
        Add("rmsnorm.forward", normShape, 2 * (long)normN * f, () => RmsNormKernel.Forward(an.Span, w, cn.Span, rstd, normRows, Hidden, 1e-6f));
        Add("rmsnorm.backward", normShape, 4 * (long)normN * f, () => RmsNormKernel.Backward(an.Span, w, rstd, bn.Span, cn.Span, dw, normRows, Hidden));
        Add("layernorm.forward", normShape, 2 * (long)normN * f, () => LayerNormKernel.Forward(an.Span, w, bias, cn.Span, mean, rstd, normRows, Hidden, 1e-5f));
        Add("layernorm.backward", normShape, 4 * (long)normN * f, () => LayerNormKernel.Backward(an.Span, w, mean, rstd, bn.Span, cn.Span, dw, db, normRows, Hidden));

        int smRows = n / KeyLength, smN = smRows * KeyLength;
        string smShape = $"({smRows}, {KeyLength})";
        var asm = a.AsMemory(0, smN); var bsm = b.AsMemory(0, smN); var csm = c.AsMemory(0, smN); var dsm = d.AsMemory(0, smN);
        Add("softmax.forward", smShape, 2 * (long)smN * f, () => SoftmaxKernel.Forward(asm.Span, dsm.Span, smRows, KeyLength));
        Add("softmax.backward", smShape, 4 * (long)smN * f, () => SoftmaxKernel.Backward(dsm.Span, bsm.Span, csm.Span, smRows, KeyLength));

        int tokens = n / (Heads * HeadDim), ropeN = tokens * Heads * HeadDim;
        var inv = new float[HeadDim / 2];
        RopeTables.InverseFrequencies(inv, HeadDim, 1_000_000f);
        var cos = new float[tokens * HeadDim / 2]; var sin = new float[tokens * HeadDim / 2];
        RopeTables.Build(inv, tokens, cos, sin);
        var positions = Enumerable.Range(0, tokens).ToArray();
        string ropeShape = $"({tokens}, {Heads}, {HeadDim})";
        long tableBytes = 2L * cos.Length * f;
        var ar = a.AsMemory(0, ropeN); var br = b.AsMemory(0, ropeN); var cr = c.AsMemory(0, ropeN);
        Add("rope.forward", ropeShape, 2 * (long)ropeN * f + tableBytes, () => RopeKernel.Forward(ar.Span, cr.Span, positions, Heads, HeadDim, cos, sin));
        Add("rope.backward", ropeShape, 3 * (long)ropeN * f + tableBytes, () => RopeKernel.Backward(br.Span, cr.Span, positions, Heads, HeadDim, cos, sin));

        int ceRows = n / Vocab, ceN = ceRows * Vocab;
        var logits = a.AsMemory(0, ceN); var dlogits = c.AsMemory(0, ceN);
        for (int i = 0; i < ceN; i++) a[i] *= 5f;
        var targets = Enumerable.Range(0, ceRows).Select(_ => rng.Next(Vocab)).ToArray();
        var lse = new float[ceRows];
        string ceShape = $"({ceRows}, {Vocab})";
        Add("cross_entropy.forward", ceShape, (long)ceN * f, () => CrossEntropyKernel.Forward(logits.Span, targets, lse, ceRows, Vocab));
        Add("cross_entropy.backward", ceShape, 3 * (long)ceN * f, () => CrossEntropyKernel.Backward(logits.Span, targets, lse, dlogits.Span, ceRows, Vocab, 1f / ceRows));
        var logp = new float[ceRows];
        Add("token_logprob.forward", ceShape, (long)ceN * f, () => TokenLogProbKernel.Forward(logits.Span, targets, logp, lse, ceRows, Vocab));

        return new BenchOpsResult(DateTime.UtcNow, SimdWidths(), arrayMiB, repetitions,
            copyBytes / Median(copyWall) / 1e9, copyBytes / Median(copyCpu) / 1e9, kernels);
    }

    private sealed record SampleSet(double[] Wall, double[] Cpu, double[] CopyWall, double[] CopyCpu);

    private static SampleSet Samples(Action call, Action copy, int repetitions)
    {
        // Warm-up until the JIT has had time to move the loops to their optimised tier (it recompiles hot
        // methods in the background after ~30 calls and a 100 ms delay): at least 30 calls and 0.4 s.
        long w0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < 30 || Stopwatch.GetElapsedTime(w0).TotalSeconds < 0.4; i++) { call(); if (i % 4 == 0) copy(); }
        var set = new SampleSet(new double[repetitions], new double[repetitions], new double[repetitions], new double[repetitions]);
        for (int i = 0; i < repetitions; i++)
        {
            (set.CopyWall[i], set.CopyCpu[i]) = Time(copy);
            (set.Wall[i], set.Cpu[i]) = Time(call);
        }
        return set;
    }

    private static (double Wall, double Cpu) Time(Action call)
    {
        double c0 = BenchCpuTime.Thread();
        long t0 = Stopwatch.GetTimestamp();
        call();
        double wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        double cpu = BenchCpuTime.Thread() - c0;
        return (wall, cpu > 0 ? cpu : wall);
    }

    private static double Median(IReadOnlyCollection<double> samples)
    {
        var sorted = samples.Order().ToArray();
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
    }

    private static string SimdWidths()
    {
        var widths = new List<string>();
        if (Vector512.IsHardwareAccelerated) widths.Add("Vector512");
        if (Vector256.IsHardwareAccelerated) widths.Add("Vector256");
        if (Vector128.IsHardwareAccelerated) widths.Add("Vector128");
        if (System.Runtime.Intrinsics.X86.Fma.IsSupported) widths.Add("FMA");
        return widths.Count == 0 ? "scalar" : string.Join(' ', widths);
    }
}
