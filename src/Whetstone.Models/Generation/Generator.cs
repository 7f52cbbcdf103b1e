using Whetstone.Models.Transformer;
using Whetstone.Tensors;

namespace Whetstone.Models.Generation;

/// <summary>
/// Batched generation with per-sequence sampling: every <see cref="Step"/> feeds each active sequence its pending
/// token (or, for a new one, its whole prompt) through one <see cref="InferenceEngine.Forward"/> call and draws one
/// token per sequence. A GRPO group is one <see cref="Generate"/> call with the same prompt and different seeds.
/// </summary>
/// <remarks>
/// Continuous batching: <see cref="Add"/> and <see cref="Remove"/> may be called between steps; a sequence added
/// mid-flight is prefilled in the next step alongside the others' decode tokens. Each sequence samples from its own
/// seeded <see cref="Rng"/>, so its output does not depend on what else is in the batch (up to float rounding of the
/// batched GEMMs, within 1e-4 of decoding alone). Not thread-safe.
/// </remarks>
public sealed class Generator : IDisposable
{
    private readonly InferenceEngine _engine;
    private readonly TokenSampler _sampler;
    private readonly int _maxSequenceLength;
    private readonly Queue<Sequence> _waiting = new();
    private readonly List<Sequence> _active = new();
    private readonly ForwardSegment[] _segments;
    private readonly float[] _logits;
    private readonly List<GenerationEvent> _events = new();
    private int _nextId;

    /// <summary>Creates a generator over <paramref name="model"/>'s weights (shared, not copied).</summary>
    public Generator(TransformerModel model, GeneratorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Options = options ?? new GeneratorOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxBatchSize, 1, nameof(GeneratorOptions.MaxBatchSize));
        _maxSequenceLength = Options.MaxSequenceLength ?? Math.Min(model.Config.MaxPositionEmbeddings, 4096);
        if (_maxSequenceLength < 2 || _maxSequenceLength > model.Config.MaxPositionEmbeddings)
            throw new ArgumentOutOfRangeException(nameof(options), _maxSequenceLength,
                $"MaxSequenceLength must be in [2, max_position_embeddings = {model.Config.MaxPositionEmbeddings}].");
        Model = model;
        _engine = new InferenceEngine(model, Options.RowCapacity, Options.MaxBatchSize);
        _sampler = new TokenSampler(model.Config.VocabSize);
        _segments = new ForwardSegment[Options.MaxBatchSize];
        _logits = new float[(long)Options.MaxBatchSize * model.Config.VocabSize];
    }

    /// <summary>The model generating.</summary>
    public TransformerModel Model { get; }

    /// <summary>Capacity settings.</summary>
    public GeneratorOptions Options { get; }

    /// <summary>Longest prompt + output of one sequence: a prompt must be shorter than this to leave room to generate.</summary>
    public int MaxSequenceLength => _maxSequenceLength;

    /// <summary>Sequences being decoded now.</summary>
    public int ActiveCount => _active.Count;

    /// <summary>Sequences added but not yet admitted (the batch is full).</summary>
    public int WaitingCount => _waiting.Count;

    /// <summary>Queues a sequence; it starts at the next <see cref="Step"/> with room. Returns its id.</summary>
    /// <exception cref="ArgumentException">Empty prompt, ids outside the vocabulary, or a prompt that leaves no room to generate.</exception>
    public int Add(GenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Options ?? new SamplingOptions();
        options.Validate();
        var prompt = request.PromptIds.ToArray();
        if (prompt.Length == 0) throw new ArgumentException("Generation request: the prompt is empty.", nameof(request));
        if (prompt.Length >= _maxSequenceLength)
            throw new ArgumentException(
                $"Generation request: prompt of {prompt.Length} tokens leaves no room in MaxSequenceLength {_maxSequenceLength}.", nameof(request));
        int vocab = Model.Config.VocabSize;
        foreach (var id in prompt)
            if ((uint)id >= (uint)vocab)
                throw new ArgumentException($"Generation request: prompt token id {id} is outside [0, {vocab}).", nameof(request));
        if (options.StopStrings.Count > 0 && request.Decode is null)
            throw new ArgumentException("Generation request: stop strings need a Decode function.", nameof(request));
        var seq = new Sequence(_nextId++, prompt, options, request.Decode, Model.Config.EosTokenIds);
        _waiting.Enqueue(seq);
        return seq.Id;
    }

    /// <summary>Drops a waiting or active sequence without a result; false when the id is unknown or finished.</summary>
    public bool Remove(int id)
    {
        int i = _active.FindIndex(s => s.Id == id);
        if (i >= 0)
        {
            _active[i].Cache?.Dispose();
            _active.RemoveAt(i);
            return true;
        }
        int before = _waiting.Count;
        var keep = _waiting.Where(s => s.Id != id).ToList();
        if (keep.Count == before) return false;
        _waiting.Clear();
        foreach (var s in keep) _waiting.Enqueue(s);
        return true;
    }

    /// <summary>
    /// Admits waiting sequences up to <see cref="GeneratorOptions.MaxBatchSize"/>, runs one forward over all active
    /// sequences and draws one token for each. The returned list is reused by the next call.
    /// </summary>
    public IReadOnlyList<GenerationEvent> Step()
    {
        _events.Clear();
        while (_active.Count < Options.MaxBatchSize && _waiting.Count > 0)
        {
            var seq = _waiting.Dequeue();
            seq.Cache = _engine.CreateCache(Math.Min(_maxSequenceLength, seq.Prompt.Length + seq.Options.MaxNewTokens));
            _active.Add(seq);
        }
        if (_active.Count == 0) return _events;

        for (int i = 0; i < _active.Count; i++)
        {
            var seq = _active[i];
            _segments[i] = new ForwardSegment(seq.Cache!, seq.Prefilled ? seq.Pending : seq.Prompt);
            seq.Prefilled = true;
        }
        _engine.Forward(_segments.AsSpan(0, _active.Count), _logits);

        int vocab = Model.Config.VocabSize, write = 0;
        for (int i = 0; i < _active.Count; i++)
        {
            var seq = _active[i];
            _segments[i] = default;
            var token = _sampler.Sample(_logits.AsSpan(i * vocab, vocab), seq.Options, seq.Rng);
            var finished = seq.Accept(token);
            _events.Add(new GenerationEvent(seq.Id, token, finished));
            if (finished is null) _active[write++] = seq;
            else seq.Cache!.Dispose();
        }
        _active.RemoveRange(write, _active.Count - write);
        return _events;
    }

    /// <summary>
    /// Generates every request to completion, batched (at most <see cref="GeneratorOptions.MaxBatchSize"/> at a time),
    /// and returns the results in request order with <see cref="GenerationResult.Id"/> = the request's index.
    /// Must be called with no other sequences in flight.
    /// </summary>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<GenerationRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (_active.Count > 0 || _waiting.Count > 0)
            throw new InvalidOperationException("Generate needs an idle generator; use Add/Step while other sequences are in flight.");
        var results = new GenerationResult[requests.Count];
        var index = new Dictionary<int, int>();
        for (int i = 0; i < requests.Count; i++)
            index[Add(requests[i])] = i;
        while (_active.Count > 0 || _waiting.Count > 0)
            foreach (var e in Step())
                if (e.Finished is { } r)
                {
                    int i = index[e.SequenceId];
                    results[i] = r with { Id = i };
                }
        return results;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var s in _active) s.Cache?.Dispose();
        _active.Clear();
        _waiting.Clear();
        _engine.Dispose();
    }

    /// <summary>One sequence's state between steps.</summary>
    private sealed class Sequence(int id, int[] prompt, SamplingOptions options, Func<IReadOnlyList<int>, string>? decode,
        IReadOnlyList<int> modelEos)
    {
        private readonly IReadOnlyList<int> _stopIds = options.StopTokenIds ?? modelEos;
        private readonly int _stopTail = options.StopStrings.Count == 0 ? 0 : options.StopStrings.Max(s => s.Length) * 4 + 8;
        private readonly List<int> _tokens = new();
        private readonly List<float> _logProbs = new();

        public int Id { get; } = id;
        public int[] Prompt { get; } = prompt;
        public SamplingOptions Options { get; } = options;
        public Rng Rng { get; } = new(options.Seed ?? (ulong)Random.Shared.NextInt64());
        public int[] Pending { get; } = new int[1];
        public bool Prefilled { get; set; }
        public KvCache? Cache { get; set; }

        /// <summary>Records the drawn token; returns the result if the sequence is now finished.</summary>
        public GenerationResult? Accept(SampledToken token)
        {
            _tokens.Add(token.Id);
            _logProbs.Add(token.LogProb);
            Pending[0] = token.Id;
            if (_stopIds.Contains(token.Id)) return Finish(FinishReason.StopToken);
            if (_stopTail > 0 && MatchStopString() is { } stop) return Finish(FinishReason.StopString, stop);
            if (_tokens.Count >= Options.MaxNewTokens) return Finish(FinishReason.MaxTokens);
            if (Cache!.Remaining < 1) return Finish(FinishReason.ContextFull);
            return null;
        }

        // Only the tail is decoded: a stop string is found the step it completes, so it lies in the last few tokens.
        private string? MatchStopString()
        {
            int from = Math.Max(0, _tokens.Count - _stopTail);
            var text = decode!(from == 0 ? _tokens : _tokens.GetRange(from, _tokens.Count - from));
            foreach (var s in Options.StopStrings)
                if (s.Length > 0 && text.Contains(s, StringComparison.Ordinal)) return s;
            return null;
        }

        private GenerationResult Finish(FinishReason reason, string? stop = null) =>
            new(Id, Prompt.Length, _tokens.ToArray(), _logProbs.ToArray(), reason, stop);
    }
}
