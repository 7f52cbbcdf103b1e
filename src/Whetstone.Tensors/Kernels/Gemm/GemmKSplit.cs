namespace Whetstone.Tensors.Kernels;

/// <summary>
/// When <see cref="GemmDriver{TKernel}"/> runs K in sequential chunks instead of whole-K panels. Packed operands are
/// capped at a budget of floats, so with a long K (lm_head's input gradient: K = vocabulary) a whole-K A slab holds
/// only one or two MC blocks: every fork-join then has the threads sharing one A block and waiting on each other's
/// packing, and there are many fork-joins. Cutting K into chunks lets one slab span all of M with many blocks.
/// </summary>
/// <remarks>
/// Chunks start at multiples of KC, so every C element adds the same KC slices in the same order as without the
/// split (beta on the first slice only): results are bit-identical either way, for any thread count.
/// </remarks>
internal static class GemmKSplit
{
    // A whole-K A slab must hold at least this many MC blocks (two per thread on two cores), or K is split.
    private const int MinSlabBlocks = 4;

    // A chunk spans at least this many KC slices, so C is not re-read and re-written too often.
    private const int MinSlices = 4;

    /// <summary>Off in tests only, to compare against the unsplit loop (other tests running meanwhile get the same bits either way).</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>K per chunk: <paramref name="k"/> itself (no split), or a multiple of <paramref name="kc"/> below it.</summary>
    /// <param name="m">Rows of C.</param>
    /// <param name="k">Reduction length.</param>
    /// <param name="mc">The kernel's MC (rows per A block).</param>
    /// <param name="kc">The kernel's KC (depth of one packed slice).</param>
    /// <param name="panelBudget">Floats one packed operand may hold.</param>
    public static int Step(int m, int k, int mc, int kc, long panelBudget)
    {
        if (!Enabled || panelBudget / k >= (long)MinSlabBlocks * mc)
            return k;
        long rows = Math.Max((long)MinSlabBlocks * mc, (m + mc - 1L) / mc * mc);
        long step = Math.Max((long)MinSlices * kc, panelBudget / rows / kc * kc);
        return (int)Math.Min(step, k);
    }
}
