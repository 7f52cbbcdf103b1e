using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Copies a sliver of op(A) or op(B) into the k-major layout the micro-kernels stream:
/// a sliver of width w (MR rows of op(A), or NR columns of op(B)) over kc steps becomes (kc, w),
/// zero-padded past the matrix edge so edge tiles need no special kernel. Transposes are absorbed
/// here: whether the source runs along the sliver width or along k only changes the copy pattern.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Gathers with 4×4 SSE register transposes; false forces the scalar path (tests cover both).</summary>
    internal static bool UseSimdTranspose = Sse.IsSupported;

    /// <summary>Packs op(A)[row0 .. row0+rows, p0 .. p0+kc] into a (kc, mr) sliver; rows ≤ mr.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(Transpose transA, float* a, int lda, int row0, int rows, int p0, int kc, int mr, float* dst)
    {
        if (transA == Transpose.None)
            GatherAlongK(a + (nint)row0 * lda + p0, lda, rows, kc, mr, dst);   // A stored (m, k): rows run along k
        else
            CopyAlongWidth(a + (nint)p0 * lda + row0, lda, rows, kc, mr, dst); // A stored (k, m): rows of storage are k steps
    }

    /// <summary>
    /// Packs op(A)[row0 .. row0+rows, p0 .. p0+kc] as consecutive (kc, mr) slivers, the last one zero-padded.
    /// Transposed A is walked one stored row (one k step) at a time across all slivers, so each source line is
    /// read once; sliver by sliver, a 2 KiB-strided walk would thrash a few L1 sets and re-read every line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackABlock(Transpose transA, float* a, int lda, int row0, int rows, int p0, int kc, int mr, float* dst)
    {
        if (transA == Transpose.None)
        {
            for (int r = 0; r < rows; r += mr)
                PackA(transA, a, lda, row0 + r, Math.Min(mr, rows - r), p0, kc, mr, dst + (nint)r * kc);
            return;
        }
        int fullSlivers = rows / mr, tail = rows - fullSlivers * mr;
        nint sliverStride = (nint)mr * kc;
        for (int p = 0; p < kc; p++)
        {
            float* s = a + (nint)(p0 + p) * lda + row0;
            float* d = dst + (nint)p * mr;
            for (int r = 0; r < fullSlivers; r++, s += mr, d += sliverStride)
            {
                int j = 0;
                for (; j + 4 <= mr; j += 4)
                    Vector128.Store(Vector128.Load(s + j), d + j);
                for (; j < mr; j++) d[j] = s[j];
            }
            if (tail > 0)
            {
                int j = 0;
                for (; j < tail; j++) d[j] = s[j];
                for (; j < mr; j++) d[j] = 0f;
            }
        }
    }

    /// <summary>Packs op(B)[p0 .. p0+kc, col0 .. col0+cols] into a (kc, nr) sliver; cols ≤ nr.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(Transpose transB, float* b, int ldb, int p0, int kc, int col0, int cols, int nr, float* dst)
    {
        if (transB == Transpose.None)
            CopyAlongWidth(b + (nint)p0 * ldb + col0, ldb, cols, kc, nr, dst); // B stored (k, n)
        else
            GatherAlongK(b + (nint)col0 * ldb + p0, ldb, cols, kc, nr, dst);   // B stored (n, k)
    }

    // Source row p (stride ld) holds the sliver's `count` values for step p: dst[p, 0..count] = src[p, 0..count].
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyAlongWidth(float* src, int ld, int count, int kc, int width, float* dst)
    {
        for (int p = 0; p < kc; p++)
        {
            float* s = src + (nint)p * ld;
            float* d = dst + (nint)p * width;
            int j = 0;
            // Inline vector copies: a library memmove call per 12- or 32-float row would cost more than the copy.
            for (; j + 4 <= count; j += 4)
                Vector128.Store(Vector128.Load(s + j), d + j);
            for (; j < count; j++) d[j] = s[j];
            for (; j < width; j++) d[j] = 0f;
        }
    }

    // Source row j (stride ld) holds sliver lane j's kc values: dst[p, j] = src[j, p].
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GatherAlongK(float* src, int ld, int count, int kc, int width, float* dst)
    {
        int j = 0;
        if (UseSimdTranspose && Sse.IsSupported)
        {
            for (; j + 4 <= count; j += 4)
                Gather4x4Blocks(src + (nint)j * ld, ld, kc, width, dst + j);
        }
        // Four lanes at a time: four read streams, and each dst row gets four adjacent writes.
        for (; j + 4 <= count; j += 4)
        {
            float* s0 = src + (nint)j * ld;
            float* s1 = s0 + ld;
            float* s2 = s1 + ld;
            float* s3 = s2 + ld;
            float* d = dst + j;
            for (int p = 0; p < kc; p++, d += width)
            {
                d[0] = s0[p];
                d[1] = s1[p];
                d[2] = s2[p];
                d[3] = s3[p];
            }
        }
        for (; j < count; j++)
        {
            float* s = src + (nint)j * ld;
            float* d = dst + j;
            for (int p = 0; p < kc; p++, d += width)
                *d = s[p];
        }
        for (; j < width; j++)
        {
            float* d = dst + j;
            for (int p = 0; p < kc; p++, d += width)
                *d = 0f;
        }
    }

    // Four source rows (lanes) over kc steps: 4×4 blocks transposed in registers, scalar tail for kc % 4.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gather4x4Blocks(float* s0, int ld, int kc, int width, float* d)
    {
        float* s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld;
        int p = 0;
        for (; p + 4 <= kc; p += 4, d += 4 * width)
        {
            var r0 = Sse.LoadVector128(s0 + p);      // lane 0, steps p..p+3
            var r1 = Sse.LoadVector128(s1 + p);
            var r2 = Sse.LoadVector128(s2 + p);
            var r3 = Sse.LoadVector128(s3 + p);
            var t0 = Sse.UnpackLow(r0, r1);           // r0[0] r1[0] r0[1] r1[1]
            var t1 = Sse.UnpackLow(r2, r3);
            var t2 = Sse.UnpackHigh(r0, r1);          // r0[2] r1[2] r0[3] r1[3]
            var t3 = Sse.UnpackHigh(r2, r3);
            Sse.Store(d, Sse.MoveLowToHigh(t0, t1));                 // step p: lanes 0..3
            Sse.Store(d + width, Sse.MoveHighToLow(t1, t0));         // step p+1
            Sse.Store(d + 2 * width, Sse.MoveLowToHigh(t2, t3));     // step p+2
            Sse.Store(d + 3 * width, Sse.MoveHighToLow(t3, t2));     // step p+3
        }
        for (; p < kc; p++, d += width)
        {
            d[0] = s0[p];
            d[1] = s1[p];
            d[2] = s2[p];
            d[3] = s3[p];
        }
    }
}
