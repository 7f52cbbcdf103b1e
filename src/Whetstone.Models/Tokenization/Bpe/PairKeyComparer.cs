namespace Whetstone.Models.Tokenization.Bpe;

/// <summary>
/// Hashing for (left id &lt;&lt; 32 | right id) pair keys. long.GetHashCode is left ^ right, which puts
/// Qwen's 151k merges on only 55k hash codes (chains of 400+); a multiplicative mix spreads them.
/// </summary>
internal sealed class PairKeyComparer : IEqualityComparer<long>
{
    /// <summary>The shared instance.</summary>
    public static readonly PairKeyComparer Instance = new();

    /// <inheritdoc />
    public bool Equals(long x, long y) => x == y;

    /// <inheritdoc />
    public int GetHashCode(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 32);
}
