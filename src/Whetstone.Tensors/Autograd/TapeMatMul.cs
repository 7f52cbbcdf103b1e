using Whetstone.Tensors.Kernels;
using Op = Whetstone.Tensors.Kernels.Transpose;

namespace Whetstone.Tensors.Autograd;

public sealed partial class Tape
{
    /// <summary>
    /// Matrix product op(a)·op(b), where op transposes the last two dimensions when asked — transposition
    /// is free: it is passed to the GEMM, never copied.
    /// </summary>
    /// <remarks>
    /// Two forms:
    /// <list type="bullet">
    /// <item>Linear: <paramref name="b"/> is rank 2. All leading dimensions of <paramref name="a"/> are rows:
    /// x (B, T, in) · Wᵀ with W (out, in) and <c>transposeB: true</c> gives (B, T, out).
    /// <paramref name="transposeA"/> is allowed only when <paramref name="a"/> is rank 2.</item>
    /// <item>Batched: both rank 3 or 4 with equal leading (batch) dimensions, one product per batch entry:
    /// attention scores q (B, H, T, D) · kᵀ with <c>transposeB: true</c> give (B, H, T, T).</item>
    /// </list>
    /// </remarks>
    /// <param name="a">Left operand: (..., m, k), or (..., k, m) when <paramref name="transposeA"/>.</param>
    /// <param name="b">Right operand: (..., k, n), or (..., n, k) when <paramref name="transposeB"/>.</param>
    /// <param name="transposeA">Use aᵀ.</param>
    /// <param name="transposeB">Use bᵀ.</param>
    public unsafe Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank < 2 && !(b.Rank == 2 && !transposeA))
            throw new ArgumentException($"MatMul: {a.Describe()} must be at least rank 2.");
        int batch, m, n, k;
        Shape outShape;
        if (b.Rank == 2)
        {
            if (transposeA && a.Rank != 2)
                throw new ArgumentException($"MatMul: transposeA with a rank-2 right operand needs a rank-2 left operand, got {a.Describe()}.");
            batch = 1;
            k = transposeB ? b.Shape[1] : b.Shape[0];
            n = transposeB ? b.Shape[0] : b.Shape[1];
            int aK = transposeA ? a.Shape[0] : a.Shape.Last;
            m = transposeA ? a.Shape[1] : a.Shape.Rows;
            if (aK != k)
                throw new ArgumentException($"MatMul: inner dimensions differ: {a.Describe()}{(transposeA ? "ᵀ" : "")} · {b.Describe()}{(transposeB ? "ᵀ" : "")}.");
            outShape = transposeA ? new Shape(m, n) : a.Shape.WithLast(n);
        }
        else
        {
            if (a.Rank != b.Rank || !SameLeading(a.Shape, b.Shape, a.Rank - 2))
                throw new ArgumentException($"MatMul: batched operands need equal batch dimensions, got {a.Describe()} and {b.Describe()}.");
            batch = a.Shape.BatchCount;
            m = transposeA ? a.Shape[-1] : a.Shape[-2];
            int aK = transposeA ? a.Shape[-2] : a.Shape[-1];
            k = transposeB ? b.Shape[-1] : b.Shape[-2];
            n = transposeB ? b.Shape[-2] : b.Shape[-1];
            if (aK != k)
                throw new ArgumentException($"MatMul: inner dimensions differ: {a.Describe()}{(transposeA ? "ᵀ" : "")} · {b.Describe()}{(transposeB ? "ᵀ" : "")}.");
            outShape = a.Shape.WithLastTwo(m, n);
        }

        var c = NewOutput(outShape);
        Op tA = transposeA ? Op.Transposed : Op.None;
        Op tB = transposeB ? Op.Transposed : Op.None;
        Product(batch, tA, tB, m, n, k, a.DataPointer, b.DataPointer, 0f, c.DataPointer);

        if (ShouldRecord(a, b))
            Record(new TapeEntry
            {
                Op = OpCode.MatMul, Output = c, A = a, B = b,
                I0 = transposeA ? 1 : 0, I1 = transposeB ? 1 : 0, I2 = m, I3 = n, I4 = k, I5 = batch,
            });
        return c;
    }

    private static bool SameLeading(Shape x, Shape y, int dims)
    {
        for (int i = 0; i < dims; i++) if (x[i] != y[i]) return false;
        return true;
    }

    /// <summary>
    /// C_i = op(A_i)·op(B_i) + beta·C_i for i &lt; batch, with dense storage: op(A) is (m, k), op(B) (k, n),
    /// C (m, n); leading dimensions follow from the stored (untransposed) shapes.
    /// </summary>
    private static unsafe void Product(int batch, Op tA, Op tB, int m, int n, int k,
        float* a, float* b, float beta, float* c)
    {
        int lda = tA == Op.None ? k : m;
        int ldb = tB == Op.None ? n : k;
        if (batch == 1)
            Gemm.Multiply(tA, tB, m, n, k, 1f, a, Math.Max(1, lda), b, Math.Max(1, ldb), beta, c, Math.Max(1, n));
        else
            Gemm.MultiplyBatched(batch, tA, tB, m, n, k, 1f,
                a, Math.Max(1, lda), (long)m * k, b, Math.Max(1, ldb), (long)k * n, beta, c, Math.Max(1, n), (long)m * n);
    }

    /// <summary>
    /// Backward of C = op(A)·op(B). Entry: A, B; I0 transA, I1 transB, I2 m, I3 n, I4 k, I5 batch.
    /// Each gradient is itself one GEMM accumulating (beta = 1) into the stored layout of A or B.
    /// </summary>
    private unsafe void MatMulBackward(ref TapeEntry e)
    {
        bool tA = e.I0 != 0, tB = e.I1 != 0;
        int m = e.I2, n = e.I3, k = e.I4, batch = e.I5;
        float* dC = e.Output.Grad!.DataPointer;
        float* a = e.A!.DataPointer, b = e.B!.DataPointer;
        const Op N = Op.None, T = Op.Transposed;
        if (e.A.RequiresGrad)
        {
            float* dA = GradOf(e.A).DataPointer;
            // Stored A is (m, k) or, transposed, (k, m).
            if (!tA && !tB) Product(batch, N, T, m, k, n, dC, b, 1f, dA);        // dA = dC·Bᵀ
            else if (!tA && tB) Product(batch, N, N, m, k, n, dC, b, 1f, dA);    // dA = dC·B
            else if (tA && !tB) Product(batch, N, T, k, m, n, b, dC, 1f, dA);    // dA = B·dCᵀ
            else Product(batch, T, T, k, m, n, b, dC, 1f, dA);                   // dA = Bᵀ·dCᵀ
        }
        if (e.B.RequiresGrad)
        {
            float* dB = GradOf(e.B).DataPointer;
            // Stored B is (k, n) or, transposed, (n, k). In the linear form (batch 1) m spans all rows of A.
            if (!tA && !tB) Product(batch, T, N, k, n, m, a, dC, 1f, dB);        // dB = Aᵀ·dC
            else if (!tA && tB) Product(batch, T, N, n, k, m, dC, a, 1f, dB);    // dB = dCᵀ·A
            else if (tA && !tB) Product(batch, N, N, k, n, m, a, dC, 1f, dB);    // dB = A·dC
            else Product(batch, T, T, n, k, m, dC, a, 1f, dB);                   // dB = dCᵀ·Aᵀ
        }
    }
}
