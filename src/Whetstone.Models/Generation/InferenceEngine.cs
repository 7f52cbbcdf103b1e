using System.Numerics.Tensors;
using Whetstone.Models.Configuration;
using Whetstone.Models.Transformer;
using Whetstone.Tensors;
using Whetstone.Tensors.Kernels;
using Whetstone.Tensors.Threading;
using Tensor = Whetstone.Tensors.Tensor;

namespace Whetstone.Models.Generation;

/// <summary>
/// The no-tape forward pass with a KV cache: prefill and incremental decode of many sequences at once.
/// The rows of all segments of a call (a prompt's many tokens, other sequences' single decode tokens) are stacked into
/// one (rows, hidden) matrix, so every projection is one GEMM over the whole batch — (rows, in)·Wᵀ — and the weights
/// are read once per step whatever the batch size. Attention then runs per sequence against its own cache.
/// </summary>
/// <remarks>
/// All buffers are allocated once, for <see cref="RowCapacity"/> rows; longer inputs are processed in passes of at
/// most that many rows, so steady-state decoding allocates nothing. Uses the model's weights in place (no copy);
/// an engine is used by one thread at a time, and the kernels parallelise internally.
/// </remarks>
public sealed unsafe class InferenceEngine : IDisposable
{
    private readonly TransformerModel _model;
    private readonly ModelConfig _c;
    private readonly Tensor _x, _h, _q, _k, _v, _attn, _gate, _up, _rstd, _last, _logits;
    private readonly int[] _tokens, _positions, _rowStart, _length, _position, _capacity;
    private readonly nint[] _keys, _values;
    private readonly AttentionPiece[] _pieces;

    /// <summary>Creates buffers for passes of up to <paramref name="rowCapacity"/> rows and <paramref name="maxSegments"/> sequences.</summary>
    /// <param name="model">The weights (shared, not copied; keep the model alive and unmodified during a call).</param>
    /// <param name="rowCapacity">Rows per pass: prompt tokens beyond this are processed in further passes.</param>
    /// <param name="maxSegments">Most sequences in one <see cref="Forward"/> call.</param>
    public InferenceEngine(TransformerModel model, int rowCapacity = 256, int maxSegments = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSegments, 1);
        _model = model;
        _c = model.Config;
        RowCapacity = rowCapacity;
        MaxSegments = maxSegments;
        int r = rowCapacity, hid = _c.HiddenSize, qw = _c.NumHeads * _c.HeadDim, kvw = _c.NumKeyValueHeads * _c.HeadDim;
        _x = Tensor.Zeros(new Shape(r, hid));
        _h = Tensor.Zeros(new Shape(r, Math.Max(hid, qw)));
        _q = Tensor.Zeros(new Shape(r, qw));
        _k = Tensor.Zeros(new Shape(r, kvw));
        _v = Tensor.Zeros(new Shape(r, kvw));
        _attn = Tensor.Zeros(new Shape(r, qw));
        _gate = Tensor.Zeros(new Shape(r, _c.IntermediateSize));
        _up = Tensor.Zeros(new Shape(r, _c.IntermediateSize));
        _rstd = Tensor.Zeros(new Shape(r * Math.Max(_c.NumHeads, 1)));
        _last = Tensor.Zeros(new Shape(maxSegments, hid));
        _logits = Tensor.Zeros(new Shape(maxSegments, _c.VocabSize));
        _tokens = new int[r];
        _positions = new int[r];
        _rowStart = GC.AllocateArray<int>(maxSegments, pinned: true);
        _length = GC.AllocateArray<int>(maxSegments, pinned: true);
        _position = GC.AllocateArray<int>(maxSegments, pinned: true);
        _capacity = GC.AllocateArray<int>(maxSegments, pinned: true);
        _keys = GC.AllocateArray<nint>(maxSegments, pinned: true);
        _values = GC.AllocateArray<nint>(maxSegments, pinned: true);
        _pieces = new AttentionPiece[maxSegments];
    }

    /// <summary>The model whose weights this engine runs.</summary>
    public TransformerModel Model => _model;

    /// <summary>Most rows (tokens over all sequences) in one pass.</summary>
    public int RowCapacity { get; }

    /// <summary>Most sequences in one <see cref="Forward"/> call.</summary>
    public int MaxSegments { get; }

    /// <summary>A cache for one sequence of up to <paramref name="capacity"/> tokens (prompt + generated).</summary>
    public KvCache CreateCache(int capacity) => new(_c, capacity);

    /// <summary>
    /// Appends each segment's tokens to its cache and writes, for every segment with <see cref="ForwardSegment.WantLogits"/>,
    /// the logits after its last token into row i of <paramref name="logits"/>.
    /// </summary>
    /// <param name="segments">One entry per sequence (each cache at most once).</param>
    /// <param name="logits">(segments, vocab); rows of segments that want no logits are left as they were.</param>
    /// <exception cref="ArgumentException">Too many segments, an empty segment, a cache used twice, or logits too short.</exception>
    /// <exception cref="InvalidOperationException">A cache would overflow its capacity.</exception>
    public void Forward(ReadOnlySpan<ForwardSegment> segments, Span<float> logits)
    {
        Validate(segments);
        int vocab = _c.VocabSize;
        if (logits.Length < (long)segments.Length * vocab)
            throw new ArgumentException($"Forward: logits holds {logits.Length} floats, need {segments.Length} × {vocab}.", nameof(logits));
        fixed (float* pLogits = logits)
        {
            int seg = 0, offset = 0;
            while (seg < segments.Length)
            {
                int rows = 0, pieces = 0;
                while (seg < segments.Length && rows < RowCapacity)
                {
                    var s = segments[seg];
                    int take = Math.Min(RowCapacity - rows, s.Tokens.Length - offset);
                    bool last = offset + take == s.Tokens.Length;
                    AddPiece(pieces++, s.Cache, s.Tokens.Span.Slice(offset, take), rows, seg, s.WantLogits && last);
                    rows += take;
                    offset += take;
                    if (last) { seg++; offset = 0; }
                }
                RunPass(rows, pieces, pLogits, allRows: null);
            }
        }
    }

    /// <summary>
    /// Feeds <paramref name="tokens"/> to <paramref name="cache"/> and returns the logits after EVERY token, (T, vocab).
    /// For scoring and tests; it allocates the result.
    /// </summary>
    public float[] ForwardAllLogits(KvCache cache, ReadOnlySpan<int> tokens)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (tokens.IsEmpty) throw new ArgumentException("ForwardAllLogits: no tokens.", nameof(tokens));
        CheckRoom(cache, tokens.Length, 0);
        var result = new float[(long)tokens.Length * _c.VocabSize];
        fixed (float* all = result)
            for (int start = 0; start < tokens.Length; start += RowCapacity)
            {
                int take = Math.Min(RowCapacity, tokens.Length - start);
                AddPiece(0, cache, tokens.Slice(start, take), 0, 0, wantLogits: false);
                RunPass(take, 1, null, all + (long)start * _c.VocabSize);
            }
        return result;
    }

    private void AddPiece(int index, KvCache cache, ReadOnlySpan<int> tokens, int rowStart, int segment, bool wantLogits)
    {
        _pieces[index] = new AttentionPiece
        {
            RowStart = rowStart, Length = tokens.Length, Position = cache.Length, Segment = segment,
            WantLogits = wantLogits, Cache = cache,
        };
        tokens.CopyTo(_tokens.AsSpan(rowStart));
        for (int t = 0; t < tokens.Length; t++) _positions[rowStart + t] = cache.Length + t;
    }

    private void Validate(ReadOnlySpan<ForwardSegment> segments)
    {
        if (segments.Length > MaxSegments)
            throw new ArgumentException($"Forward: {segments.Length} segments, the engine was built for at most {MaxSegments}.");
        for (int i = 0; i < segments.Length; i++)
        {
            var s = segments[i];
            if (s.Cache is null) throw new ArgumentException($"Forward: segment {i} has no cache.");
            if (s.Tokens.IsEmpty) throw new ArgumentException($"Forward: segment {i} has no tokens.");
            if (s.Cache.Layers != _c.NumLayers || s.Cache.KeyValueHeads != _c.NumKeyValueHeads || s.Cache.HeadDim != _c.HeadDim)
                throw new ArgumentException($"Forward: segment {i}'s cache was made for another model shape.");
            CheckRoom(s.Cache, s.Tokens.Length, i);
            foreach (var t in s.Tokens.Span)
                if ((uint)t >= (uint)_c.VocabSize)
                    throw new ArgumentOutOfRangeException(nameof(segments), t, $"Forward: segment {i} has token id {t} outside [0, {_c.VocabSize}).");
            for (int j = 0; j < i; j++)
                if (ReferenceEquals(segments[j].Cache, s.Cache))
                    throw new ArgumentException($"Forward: segments {j} and {i} share one cache.");
        }
    }

    private static void CheckRoom(KvCache cache, int tokens, int segment)
    {
        if (tokens > cache.Remaining)
            throw new InvalidOperationException(
                $"Segment {segment}: {tokens} tokens do not fit its KV cache ({cache.Length} of {cache.Capacity} used).");
    }

    /// <summary>One pass over <paramref name="rows"/> stacked rows; fills per-segment logits or, for a single piece, all rows' logits.</summary>
    private void RunPass(int rows, int pieceCount, float* segmentLogits, float* allRows)
    {
        var c = _c;
        int hid = c.HiddenSize, nh = c.NumHeads, nkv = c.NumKeyValueHeads, d = c.HeadDim;
        int qw = nh * d, kvw = nkv * d, inter = c.IntermediateSize;
        float* x = _x.DataPointer, h = _h.DataPointer, q = _q.DataPointer, k = _k.DataPointer, v = _v.DataPointer;
        float* attn = _attn.DataPointer, gate = _gate.DataPointer, up = _up.DataPointer;
        var positions = new ReadOnlySpan<int>(_positions, 0, rows);
        var rstd = _rstd.AsSpan();

        EmbeddingKernel.Forward(_model.Embedding.AsSpan(), _tokens.AsSpan(0, rows), Rows(x, rows, hid), c.VocabSize, hid);
        for (int p = 0; p < pieceCount; p++)
        {
            ref var piece = ref _pieces[p];
            _rowStart[p] = piece.RowStart;
            _length[p] = piece.Length;
            _position[p] = piece.Position;
            _capacity[p] = piece.Cache.Capacity;
        }

        var blocks = _model.Blocks;
        for (int layer = 0; layer < blocks.Count; layer++)
        {
            var block = blocks[layer];
            // Attention: h = n₁(x); q, k, v projections; per-head norms; RoPE; cache append; attend; x += o_proj.
            RmsNormKernel.Forward(Rows(x, rows, hid), block.InputNorm.AsSpan(), Rows(h, rows, hid), rstd[..rows], rows, hid, c.RmsNormEps);
            Project3(block.QProj, q, block.KProj, k, block.VProj, v, h, rows);
            if (block.QNorm is not null)
                RmsNormKernel.Forward(Rows(q, rows, qw), block.QNorm.AsSpan(), Rows(q, rows, qw), rstd[..(rows * nh)], rows * nh, d, c.RmsNormEps);
            if (block.KNorm is not null)
                RmsNormKernel.Forward(Rows(k, rows, kvw), block.KNorm.AsSpan(), Rows(k, rows, kvw), rstd[..(rows * nkv)], rows * nkv, d, c.RmsNormEps);
            RopeKernel.Forward(Rows(q, rows, qw), Rows(q, rows, qw), positions, nh, d, _model.RopeCos.AsSpan(), _model.RopeSin.AsSpan());
            RopeKernel.Forward(Rows(k, rows, kvw), Rows(k, rows, kvw), positions, nkv, d, _model.RopeCos.AsSpan(), _model.RopeSin.AsSpan());
            AppendToCaches(block.Index, pieceCount, k, v);

            var body = new AttentionBody
            {
                Queries = q, Output = attn, Heads = nh, Group = c.GroupSize, HeadDim = d, Scale = 1f / MathF.Sqrt(d),
                RowStart = Pin(_rowStart), Length = Pin(_length), Position = Pin(_position), Capacity = Pin(_capacity),
                Keys = (float**)Pin(_keys), Values = (float**)Pin(_values),
            };
            ComputePool.For(pieceCount * nh, body);
            Project(block.OProj, attn, rows, h);
            TensorPrimitives.Add(Rows(x, rows, hid), Rows(h, rows, hid), Rows(x, rows, hid));

            // MLP: x += down(silu(gate(n₂(x))) ⊙ up(n₂(x))).
            RmsNormKernel.Forward(Rows(x, rows, hid), block.PostAttentionNorm.AsSpan(), Rows(h, rows, hid), rstd[..rows], rows, hid, c.RmsNormEps);
            Project3(block.GateProj, gate, block.UpProj, up, null, null, h, rows);
            SwiGluKernel.Forward(Rows(gate, rows, inter), Rows(up, rows, inter), Rows(gate, rows, inter));
            Project(block.DownProj, gate, rows, h);
            TensorPrimitives.Add(Rows(x, rows, hid), Rows(h, rows, hid), Rows(x, rows, hid));
        }

        for (int p = 0; p < pieceCount; p++)
            _pieces[p].Cache.Length += _pieces[p].Length;

        if (allRows is not null)
        {
            RmsNormKernel.Forward(Rows(x, rows, hid), _model.FinalNorm.AsSpan(), Rows(h, rows, hid), rstd[..rows], rows, hid, c.RmsNormEps);
            Project(_model.LmHead, h, rows, allRows);
            return;
        }

        // Logits only where asked: the last row of each finished segment, gathered into one GEMM.
        int wanted = 0;
        float* last = _last.DataPointer;
        for (int p = 0; p < pieceCount; p++)
        {
            ref var piece = ref _pieces[p];
            if (!piece.WantLogits) continue;
            Rows(x + (long)(piece.RowStart + piece.Length - 1) * hid, 1, hid).CopyTo(Rows(last + (long)wanted * hid, 1, hid));
            wanted++;
        }
        if (wanted == 0) return;
        RmsNormKernel.Forward(Rows(last, wanted, hid), _model.FinalNorm.AsSpan(), Rows(last, wanted, hid), rstd[..wanted], wanted, hid, c.RmsNormEps);
        float* logits = _logits.DataPointer;
        Project(_model.LmHead, last, wanted, logits);
        int vocab = c.VocabSize, w = 0;
        for (int p = 0; p < pieceCount; p++)
        {
            ref var piece = ref _pieces[p];
            if (!piece.WantLogits) continue;
            Rows(logits + (long)w++ * vocab, 1, vocab).CopyTo(Rows(segmentLogits + (long)piece.Segment * vocab, 1, vocab));
        }
    }

    /// <summary>Writes this pass's roped keys and values into each piece's cache at its positions.</summary>
    private void AppendToCaches(int layer, int pieceCount, float* k, float* v)
    {
        int nkv = _c.NumKeyValueHeads, d = _c.HeadDim, kvw = nkv * d;
        for (int p = 0; p < pieceCount; p++)
        {
            ref var piece = ref _pieces[p];
            var cache = piece.Cache;
            float* keys = cache.LayerKeys(layer), values = cache.LayerValues(layer);
            _keys[p] = (nint)keys;
            _values[p] = (nint)values;
            for (int t = 0; t < piece.Length; t++)
            {
                long row = (long)(piece.RowStart + t) * kvw;
                for (int head = 0; head < nkv; head++)
                {
                    long at = ((long)head * cache.Capacity + piece.Position + t) * d;
                    Rows(k + row + head * d, 1, d).CopyTo(Rows(keys + at, 1, d));
                    Rows(v + row + head * d, 1, d).CopyTo(Rows(values + at, 1, d));
                }
            }
        }
    }

    /// <summary>Two or three projections of the same input (q/k/v, gate/up); decode-sized batches share one pool loop.</summary>
    private static void Project3(LinearLayer a, float* ya, LinearLayer b, float* yb, LinearLayer? c, float* yc, float* x, int rows)
    {
        if (rows > SkinnyGemm.MaxRows)
        {
            Project(a, x, rows, ya);
            Project(b, x, rows, yb);
            if (c is not null) Project(c, x, rows, yc);
            return;
        }
        SkinnyGemm.Multiply(x, rows, a.InFeatures,
            new SkinnyGemm.Target(a.Weight.DataPointer, a.OutFeatures, ya),
            new SkinnyGemm.Target(b.Weight.DataPointer, b.OutFeatures, yb),
            c is null ? default : new SkinnyGemm.Target(c.Weight.DataPointer, c.OutFeatures, yc));
        Finish(a, x, rows, ya);
        Finish(b, x, rows, yb);
        if (c is not null) Finish(c, x, rows, yc);
    }

    /// <summary>Adds the layer's bias and extension (LoRA) to its GEMM output.</summary>
    private static void Finish(LinearLayer layer, float* x, int rows, float* y)
    {
        int n = layer.OutFeatures, k = layer.InFeatures;
        if (layer.Bias is not null)
            RowBroadcastAddKernel.Forward(Rows(y, rows, n), layer.Bias.AsSpan(), Rows(y, rows, n), rows, n);
        layer.Extension?.AddTo(Rows(x, rows, k), Rows(y, rows, n), rows);
    }

    /// <summary>y (rows, out) = x (rows, in)·Wᵀ + b, plus the layer's extension (LoRA) if any.</summary>
    private static void Project(LinearLayer layer, float* x, int rows, float* y)
    {
        int n = layer.OutFeatures, k = layer.InFeatures;
        if (rows <= SkinnyGemm.MaxRows)
            SkinnyGemm.Multiply(x, rows, k, layer.Weight.DataPointer, n, y);
        else
            Gemm.Multiply(Transpose.None, Transpose.Transposed, rows, n, k, 1f, x, k, layer.Weight.DataPointer, k, 0f, y, n);
        Finish(layer, x, rows, y);
    }

    private static Span<float> Rows(float* p, int rows, int width) => new(p, checked(rows * width));

    private static T* Pin<T>(T[] pinnedArray) where T : unmanaged =>
        (T*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref pinnedArray[0]);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in new[] { _x, _h, _q, _k, _v, _attn, _gate, _up, _rstd, _last, _logits })
            t.Dispose();
    }
}
