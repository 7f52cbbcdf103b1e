using Whetstone.Tensors.Memory;

namespace Whetstone.Tensors.Tests;

public class TensorTests
{
    [Fact]
    public void Shape_FormatsAndCounts()
    {
        var s = new Shape(2, 3, 4);
        Assert.Equal("(2, 3, 4)", s.ToString());
        Assert.Equal("(5,)", new Shape(5).ToString());
        Assert.Equal(24, s.Count);
        Assert.Equal(3, s.Rank);
        Assert.Equal(4, s[-1]);
        Assert.Equal(6, s.Rows);
        Assert.Equal(2, s.BatchCount);
        Assert.Equal(new Shape(2, 3, 7), s.WithLast(7));
        Assert.Equal(s, Shape.Of([2, 3, 4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => s[3]);
    }

    [Fact]
    public void Storage_Is64ByteAligned()
    {
        unsafe
        {
            for (int n = 1; n < 100; n += 7)
            {
                using var t = Tensor.Zeros(new Shape(n));
                Assert.Equal(0, (long)t.DataPointer % 64);
            }
        }
    }

    [Fact]
    public void Indexers_AreRowMajor()
    {
        using var t = Tensor.FromArray([0, 1, 2, 3, 4, 5], new Shape(2, 3));
        Assert.Equal(5, t[1, 2]);
        Assert.Equal(3, t[1, 0]);
        t[0, 2] = 9;
        Assert.Equal(9, t[2]);
        Assert.Equal(new float[] { 3, 4, 5 }, t.Row(1).ToArray());
        Assert.Throws<IndexOutOfRangeException>(() => t[2, 0]);
    }

    [Fact]
    public void FromArray_RejectsWrongLength()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.FromArray([1, 2, 3], new Shape(2, 2)));
        Assert.Contains("(2, 2)", ex.Message);
    }

    [Fact]
    public void Rng_SameSeedSameSequence_StateRoundTrips()
    {
        var a = new Rng(42);
        var b = new Rng(42);
        for (int i = 0; i < 10; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
        a.NextNormal(); // leaves a spare normal pending: it must be part of the state
        var saved = a.GetState();
        var expected = new double[5];
        for (int i = 0; i < 5; i++) expected[i] = a.NextNormal();
        var resumed = new Rng(saved);
        for (int i = 0; i < 5; i++) Assert.Equal(expected[i], resumed.NextNormal());
    }

    [Fact]
    public void RngState_RoundTripsThroughJson()
    {
        var rng = new Rng(123);
        rng.NextNormal();
        string json = System.Text.Json.JsonSerializer.Serialize(rng.GetState());
        var restored = new Rng(System.Text.Json.JsonSerializer.Deserialize<RngState>(json));
        Assert.Equal(rng.NextNormal(), restored.NextNormal());
        Assert.Equal(rng.NextUInt64(), restored.NextUInt64());
    }

    [Fact]
    public void Rng_NormalAndUniformHaveExpectedMoments()
    {
        var rng = new Rng(7);
        using var n = Tensor.RandomNormal(new Shape(20000), rng, std: 2f, mean: 1f);
        using var u = Tensor.RandomUniform(new Shape(20000), rng, -1f, 3f);
        double mean = n.ToArray().Average();
        double var = n.ToArray().Select(x => (x - mean) * (x - mean)).Average();
        Assert.InRange(mean, 0.95, 1.05);
        Assert.InRange(Math.Sqrt(var), 1.95, 2.05);
        Assert.InRange(u.ToArray().Min(), -1f, -0.99f);
        Assert.InRange(u.ToArray().Max(), 2.99f, 3f);
        for (int i = 0; i < 1000; i++) Assert.InRange(rng.NextInt(7), 0, 6);
    }

    [Fact]
    public void Pool_SizeClassesAreMonotoneAndTight()
    {
        int prevClass = -1, prevCap = 0;
        for (int n = 1; n < 5000; n++)
        {
            int cls = TensorPool.ClassOf(n, out int cap);
            Assert.True(cap >= n);
            Assert.True(cap <= Math.Max(16, n * 1.25 + 1), $"count {n} capacity {cap}");
            Assert.True(cls >= prevClass);
            if (cls == prevClass) Assert.Equal(prevCap, cap);
            Assert.Equal(cls, TensorPool.ClassOf(cap, out _));
            prevClass = cls; prevCap = cap;
        }
    }
}
