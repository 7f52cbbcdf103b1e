namespace Whetstone.Tensors;

/// <summary>
/// Whetstone's own seeded random number generator (xoshiro256**, seeded through SplitMix64).
/// Unlike <see cref="System.Random"/> its algorithm is fixed and its full state can be saved
/// (<see cref="GetState"/>) and restored (<see cref="SetState"/>), so a resumed checkpoint draws
/// exactly the numbers an uninterrupted run would have.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private bool _hasSpare;
    private double _spare;

    /// <summary>Creates a generator whose sequence is fully determined by <paramref name="seed"/>.</summary>
    /// <param name="seed">Any 64-bit value.</param>
    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    /// <summary>Creates a generator continuing from a saved state.</summary>
    /// <param name="state">A state from <see cref="GetState"/>.</param>
    public Rng(RngState state) => SetState(state);

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The complete generator state, for checkpoints.</summary>
    public RngState GetState() => new(_s0, _s1, _s2, _s3, _hasSpare, _spare);

    /// <summary>Restores a state captured by <see cref="GetState"/>.</summary>
    /// <param name="state">The state to continue from.</param>
    public void SetState(RngState state)
    {
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
            throw new ArgumentException("An all-zero xoshiro256** state is invalid (the generator would emit only zeros).", nameof(state));
        (_s0, _s1, _s2, _s3, _hasSpare, _spare) = (state.S0, state.S1, state.S2, state.S3, state.HasSpareNormal, state.SpareNormal);
    }

    /// <summary>The next 64 uniformly random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) with 24 random bits (every float in the range is exactly representable).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    /// <param name="maxExclusive">Upper bound, &gt; 0.</param>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), "Upper bound must be positive.");
        // Lemire's multiply-shift with rejection: unbiased and usually one draw.
        ulong range = (ulong)maxExclusive;
        uint threshold = (uint)((0x1_0000_0000UL - range) % range);
        while (true)
        {
            ulong m = (NextUInt64() >> 32) * range;
            if ((uint)m >= threshold) return (int)(m >> 32);
        }
    }

    /// <summary>A standard normal sample (Box–Muller; the second value of each pair is kept for the next call).</summary>
    public double NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        double u1;
        do u1 = NextDouble(); while (u1 <= double.Epsilon);
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        double theta = 2.0 * Math.PI * u2;
        _spare = r * Math.Sin(theta);
        _hasSpare = true;
        return r * Math.Cos(theta);
    }

    /// <summary>Fills <paramref name="destination"/> with normal samples.</summary>
    /// <param name="destination">Values to overwrite.</param>
    /// <param name="mean">Mean.</param>
    /// <param name="std">Standard deviation.</param>
    public void FillNormal(Span<float> destination, float mean = 0f, float std = 1f)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = (float)(mean + std * NextNormal());
    }

    /// <summary>Fills <paramref name="destination"/> with samples uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="destination">Values to overwrite.</param>
    /// <param name="low">Inclusive lower bound.</param>
    /// <param name="high">Exclusive upper bound.</param>
    public void FillUniform(Span<float> destination, float low = 0f, float high = 1f)
    {
        float width = high - low;
        for (int i = 0; i < destination.Length; i++) destination[i] = low + width * NextFloat();
    }
}
