using System.Runtime.InteropServices;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>
/// OpenBLAS's <c>cblas_sgemm</c>, loaded at run time when a libopenblas is installed, as a reference to
/// measure Whetstone's GEMM against in the same run. Whetstone never needs it: absent means no comparison.
/// </summary>
internal sealed unsafe class OpenBlasSgemm
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;
    private static readonly string[] LibraryNames =
        ["libopenblas.so.0", "libopenblas.so", "libopenblasp.so.0", "libopenblas.dylib", "libopenblas.dll", "openblas"];

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, void> _setThreads;

    private OpenBlasSgemm(nint library, string name)
    {
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)
            NativeLibrary.GetExport(library, "cblas_sgemm");
        _setThreads = NativeLibrary.TryGetExport(library, "openblas_set_num_threads", out nint set)
            ? (delegate* unmanaged<int, void>)set : null;
        string? config = null;
        if (NativeLibrary.TryGetExport(library, "openblas_get_config", out nint getConfig))
            config = Marshal.PtrToStringAnsi(((delegate* unmanaged<nint>)getConfig)());
        if (NativeLibrary.TryGetExport(library, "openblas_get_corename", out nint getCore))
            config += $" core={Marshal.PtrToStringAnsi(((delegate* unmanaged<nint>)getCore)())}";
        Description = $"{name} ({config?.Trim() ?? "unknown build"})";
    }

    /// <summary>Which library was loaded and how it was built (OpenBLAS's own config string and core).</summary>
    public string Description { get; }

    /// <summary>Loads the first libopenblas found, or returns null when none can be loaded.</summary>
    public static OpenBlasSgemm? TryLoad()
    {
        foreach (string name in LibraryNames)
        {
            if (NativeLibrary.TryLoad(name, out nint library)
                && NativeLibrary.TryGetExport(library, "cblas_sgemm", out _))
                return new OpenBlasSgemm(library, name);
        }
        return null;
    }

    /// <summary>Sets OpenBLAS's own thread count (it does not use Whetstone's pool).</summary>
    public void SetThreads(int threads)
    {
        if (_setThreads != null)
            _setThreads(threads);
    }

    /// <summary>Row-major C = alpha·op(A)·op(B) + beta·C, the same contract as Whetstone's Gemm.Multiply.</summary>
    public void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        _sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
