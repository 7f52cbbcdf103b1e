using Whetstone.Tensors.Autograd;

namespace Whetstone.Tensors.Tests.Autograd;

public class TapeTests
{
    [Fact]
    public void NoGrad_RecordsNothing()
    {
        var rng = new Rng(1);
        using var w = Tensor.RandomNormal(new Shape(4, 3), rng);
        w.RequiresGrad = true;
        using var x = Tensor.RandomNormal(new Shape(2, 3), rng);
        using var tape = new Tape();
        using (tape.NoGrad())
        {
            Assert.False(tape.IsRecording);
            var y = tape.Add(tape.MatMul(x, w, transposeB: true), tape.MatMul(x, w, transposeB: true));
            Assert.False(y.RequiresGrad);
        }
        Assert.Equal(0, tape.EntryCount);
        Assert.True(tape.IsRecording);
        var z = tape.MatMul(x, w, transposeB: true);
        Assert.Equal(1, tape.EntryCount);
        Assert.True(z.RequiresGrad);
    }

    [Fact]
    public void OpsOnConstants_AreNotRecorded()
    {
        using var a = Tensor.Full(new Shape(2, 2), 1f);
        using var tape = new Tape();
        var y = tape.Add(a, a);
        Assert.Equal(0, tape.EntryCount);
        Assert.False(y.RequiresGrad);
        Assert.Throws<InvalidOperationException>(() => tape.Backward(y, new float[4]));
    }

    [Fact]
    public void TwoBackwardCalls_AccumulateLeafGradients()
    {
        var rng = new Rng(2);
        using var w = Tensor.RandomNormal(new Shape(3, 3), rng);
        w.RequiresGrad = true;
        using var x = Tensor.RandomNormal(new Shape(2, 3), rng);
        float[] upstream = [1, -2, 0.5f, 3, 1, -1];
        using var tape = new Tape();

        tape.Backward(tape.MatMul(x, w), upstream);
        var once = w.Grad!.ToArray();
        tape.Reset();

        tape.Backward(tape.MatMul(x, w), upstream);
        var twice = w.Grad!.ToArray();
        for (int i = 0; i < once.Length; i++) Assert.Equal(2 * once[i], twice[i], 5);

        w.ZeroGrad();
        Assert.All(w.Grad!.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void BackwardTwiceOnSameTape_DoesNotDoubleCountIntermediates()
    {
        var rng = new Rng(3);
        using var w = Tensor.RandomNormal(new Shape(3, 3), rng);
        w.RequiresGrad = true;
        using var x = Tensor.RandomNormal(new Shape(2, 3), rng);
        using var tape = new Tape();
        var h = tape.MatMul(x, w);
        var y = tape.Mul(h, h);
        var upstream = new float[6];
        rng.FillNormal(upstream);
        tape.Backward(y, upstream);
        var once = w.Grad!.ToArray();
        tape.Backward(y, upstream);
        for (int i = 0; i < once.Length; i++) Assert.Equal(2 * once[i], w.Grad![i], 4);
    }

    [Fact]
    public void Reset_ReusesPooledBuffers()
    {
        var rng = new Rng(4);
        using var w = Tensor.RandomNormal(new Shape(8, 8), rng);
        w.RequiresGrad = true;
        using var x = Tensor.RandomNormal(new Shape(4, 8), rng);
        using var tape = new Tape();
        for (int step = 0; step < 5; step++)
        {
            var y = tape.Mul(tape.MatMul(x, w), tape.MatMul(x, w));
            tape.Backward(y, new float[32]);
            tape.Reset();
            if (step == 0) continue;
        }
        int afterWarmup = tape.PooledBufferCount;
        for (int step = 0; step < 5; step++)
        {
            var y = tape.Mul(tape.MatMul(x, w), tape.MatMul(x, w));
            tape.Backward(y, new float[32]);
            tape.Reset();
        }
        Assert.Equal(afterWarmup, tape.PooledBufferCount);
    }

    [Fact]
    public void TrimPool_FreesBuffersAndTapeKeepsWorking()
    {
        var rng = new Rng(6);
        using var w = Tensor.RandomNormal(new Shape(8, 8), rng);
        w.RequiresGrad = true;
        using var tape = new Tape();
        tape.Backward(tape.Sum(tape.MatMul(w, w)));
        Assert.True(tape.PooledBytes > 0);
        tape.TrimPool();
        Assert.Equal(0, tape.PooledBytes);
        var first = w.Grad!.ToArray();
        w.ZeroGrad();
        tape.Backward(tape.Sum(tape.MatMul(w, w)));
        Assert.Equal(first, w.Grad!.ToArray());
    }

    [Fact]
    public void Backward_NeedsScalarLoss()
    {
        using var w = Tensor.Zeros(new Shape(2, 2));
        w.RequiresGrad = true;
        using var tape = new Tape();
        var ex = Assert.Throws<ArgumentException>(() => tape.Backward(tape.Scale(w, 2f)));
        Assert.Contains("(2, 2)", ex.Message);
    }
}
