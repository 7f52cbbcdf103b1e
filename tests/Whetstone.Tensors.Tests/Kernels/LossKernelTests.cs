using Whetstone.Tensors.Kernels;
using static Whetstone.Tensors.Tests.Kernels.KernelTestData;

namespace Whetstone.Tensors.Tests.Kernels;

public class LossKernelTests
{
    // 9000 spans three 4096-element chunks of the streaming logsumexp.
    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 2, 3 }, { 3, 7 }, { 4, 17 }, { 3, 33 }, { 2, 100 }, { 2, 1000 }, { 2, 9000 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Cross_entropy_matches_reference(int rows, int vocab)
    {
        var logits = Uniform(1, rows * vocab, -10, 10);
        var targets = Ids(2, rows, vocab);
        if (rows > 2) targets[1] = -100;
        var lse = new float[rows]; var lser = new float[rows];
        var sum = CrossEntropyKernel.Forward(logits, targets, lse, rows, vocab);
        var sumr = CrossEntropyReference.Forward(logits, targets, lser, rows, vocab);
        Assert.Equal(sumr.Count, sum.Count);
        Assert.Equal(sumr.Loss, sum.Loss, 1e-4 * (1 + Math.Abs(sumr.Loss)));
        Close(lser, lse, 1e-5, 1e-5, "lse");

        var d = Uniform(3, rows * vocab); var dr = (float[])d.Clone();
        CrossEntropyKernel.Backward(logits, targets, lse, d, rows, vocab, 0.5f);
        CrossEntropyReference.Backward(logits, targets, lser, dr, rows, vocab, 0.5f);
        Close(dr, d, 1e-6, 1e-4, "dlogits");
    }

    [Fact]
    public void Cross_entropy_ignores_rows_and_counts_the_rest()
    {
        int rows = 4, vocab = 5;
        var logits = Uniform(1, rows * vocab);
        int[] targets = [-100, 2, -100, 4];
        var lse = new float[rows];
        var sum = CrossEntropyKernel.Forward(logits, targets, lse, rows, vocab);
        Assert.Equal(2, sum.Count);
        double expected = 0;
        foreach (int r in new[] { 1, 3 })
            expected += LogSumExpReference.Row(logits.AsSpan(r * vocab, vocab)) - logits[r * vocab + targets[r]];
        Assert.Equal(expected, sum.Loss, 5);
        Assert.Equal(expected / 2, sum.Mean, 5);

        var d = new float[rows * vocab];
        CrossEntropyKernel.Backward(logits, targets, lse, d, rows, vocab, 1f);
        for (int j = 0; j < vocab; j++) { Assert.Equal(0f, d[j]); Assert.Equal(0f, d[2 * vocab + j]); }
        Assert.Equal(0.0, d.AsSpan(vocab, vocab).ToArray().Sum(v => (double)v), 6); // softmax − onehot sums to 0

        var none = CrossEntropyKernel.Forward(logits, [-100, -100, -100, -100], lse, rows, vocab);
        Assert.Equal(0, none.Count);
        Assert.Equal(0.0, none.Mean);
    }

    [Fact]
    public void Cross_entropy_gradient_matches_finite_differences()
    {
        int rows = 3, vocab = 7;
        var logits = Uniform(1, rows * vocab, -3, 3);
        int[] targets = [4, -100, 0];
        var lse = new float[rows];
        double Loss() => CrossEntropyReference.Forward(logits, targets, lse, rows, vocab).Loss * 0.5;
        Loss();
        var d = new float[rows * vocab];
        CrossEntropyKernel.Backward(logits, targets, lse, d, rows, vocab, 0.5f);
        Close(NumericGradient(logits, Loss, 1e-3f), d, 1e-3, 1e-2);
    }

    [Fact]
    public void Cross_entropy_is_stable_for_huge_logits_and_masked_chunks()
    {
        int vocab = 10000;
        var logits = Uniform(1, vocab, -5, 5);
        for (int j = 0; j < 4096; j++) logits[j] = float.NegativeInfinity; // the whole first chunk masked
        logits[5000] = 1e4f;
        var lse = new float[1];
        var sum = CrossEntropyKernel.Forward(logits, [5000], lse, 1, vocab);
        Assert.Equal(1e4f, lse[0], 1);
        Assert.True(sum.Loss >= 0 && sum.Loss < 1e-3);
        var d = new float[vocab];
        CrossEntropyKernel.Backward(logits, [5000], lse, d, 1, vocab, 1f);
        Assert.All(d, v => Assert.False(float.IsNaN(v)));
    }

    [Fact]
    public void Invalid_target_names_row_id_and_vocabulary()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            CrossEntropyKernel.Forward(new float[2 * 5], [1, 5], new float[2], 2, 5));
        Assert.Contains("row 1", ex.Message);
        Assert.Contains("size 5", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            TokenLogProbKernel.Forward(new float[5], [-100], new float[1], new float[1], 1, 5));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Token_log_probs_match_reference(int rows, int vocab)
    {
        var logits = Uniform(1, rows * vocab, -10, 10);
        var targets = Ids(2, rows, vocab);
        var lp = new float[rows]; var lse = new float[rows];
        var lpr = new float[rows]; var lser = new float[rows];
        TokenLogProbKernel.Forward(logits, targets, lp, lse, rows, vocab);
        TokenLogProbReference.Forward(logits, targets, lpr, lser, rows, vocab);
        Close(lpr, lp, 1e-5, 1e-5, "logp");
        Assert.All(lp, v => Assert.True(v <= 1e-6f));

        var dlp = Uniform(3, rows);
        var d = Uniform(4, rows * vocab); var dr = (float[])d.Clone();
        TokenLogProbKernel.Backward(logits, targets, lse, dlp, d, rows, vocab);
        TokenLogProbReference.Backward(logits, targets, lser, dlp, dr, rows, vocab);
        Close(dr, d, 1e-6, 1e-4, "dlogits");
    }

    [Fact]
    public void Token_log_prob_gradient_matches_finite_differences()
    {
        int rows = 2, vocab = 9;
        var logits = Uniform(1, rows * vocab, -3, 3);
        int[] targets = [3, 8];
        var dlp = Uniform(2, rows);
        var lp = new float[rows]; var lse = new float[rows];
        double Loss() { TokenLogProbReference.Forward(logits, targets, lp, lse, rows, vocab); return Dot(dlp, lp); }
        Loss();
        var d = new float[rows * vocab];
        TokenLogProbKernel.Backward(logits, targets, lse, dlp, d, rows, vocab);
        Close(NumericGradient(logits, Loss, 1e-3f), d, 1e-3, 1e-2);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Entropy_matches_reference(int rows, int vocab)
    {
        var logits = Uniform(1, rows * vocab, -10, 10);
        var h = new float[rows]; var lse = new float[rows];
        var hr = new float[rows]; var lser = new float[rows];
        EntropyKernel.Forward(logits, h, lse, rows, vocab);
        EntropyReference.Forward(logits, hr, lser, rows, vocab);
        Close(hr, h, 1e-5, 1e-4, "entropy");

        var dh = Uniform(3, rows);
        var d = Uniform(4, rows * vocab); var dr = (float[])d.Clone();
        EntropyKernel.Backward(logits, lse, h, dh, d, rows, vocab);
        EntropyReference.Backward(logits, lser, hr, dh, dr, rows, vocab);
        Close(dr, d, 1e-6, 1e-4, "dlogits");
    }

    [Fact]
    public void Entropy_of_uniform_logits_is_log_vocab_and_gradient_matches_finite_differences()
    {
        var h = new float[1]; var lse = new float[1];
        EntropyKernel.Forward(new float[1000], h, lse, 1, 1000);
        Assert.Equal(Math.Log(1000), h[0], 1e-4); // float sums of 1000 terms

        int rows = 2, vocab = 6;
        var logits = Uniform(1, rows * vocab, -2, 2);
        var dh = Uniform(2, rows);
        var hh = new float[rows]; var l2 = new float[rows];
        double Loss() { EntropyReference.Forward(logits, hh, l2, rows, vocab); return Dot(dh, hh); }
        Loss();
        var d = new float[rows * vocab];
        EntropyKernel.Backward(logits, l2, hh, dh, d, rows, vocab);
        Close(NumericGradient(logits, Loss, 1e-3f), d, 1e-3, 1e-2);
    }

    [Fact]
    public void Deterministic()
    {
        var logits = Uniform(1, 3 * 5000, -8, 8);
        int[] t = [1, 4999, 17];
        var a = new float[3]; var b = new float[3];
        var s1 = CrossEntropyKernel.Forward(logits, t, a, 3, 5000);
        var s2 = CrossEntropyKernel.Forward(logits, t, b, 3, 5000);
        Assert.Equal(s1, s2);
        BitIdentical(a, b);
        var d1 = new float[logits.Length]; var d2 = new float[logits.Length];
        CrossEntropyKernel.Backward(logits, t, a, d1, 3, 5000, 1f / 3);
        CrossEntropyKernel.Backward(logits, t, b, d2, 3, 5000, 1f / 3);
        BitIdentical(d1, d2);
    }
}
