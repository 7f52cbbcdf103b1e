namespace Whetstone.Tensors;

/// <summary>The complete, serialisable state of an <see cref="Rng"/>.</summary>
/// <param name="S0">xoshiro256** state word 0.</param>
/// <param name="S1">xoshiro256** state word 1.</param>
/// <param name="S2">xoshiro256** state word 2.</param>
/// <param name="S3">xoshiro256** state word 3.</param>
/// <param name="HasSpareNormal">Whether a cached second Box–Muller sample is pending.</param>
/// <param name="SpareNormal">The cached sample (meaningful only when <paramref name="HasSpareNormal"/>).</param>
public readonly record struct RngState(ulong S0, ulong S1, ulong S2, ulong S3, bool HasSpareNormal, double SpareNormal);
