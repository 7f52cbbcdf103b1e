namespace Whetstone.Models.Tokenization.PreTokenization;

/// <summary>tokenizer.json <c>{"type": "Sequence", "pretokenizers": [...]}</c>: each stage splits the pieces of the one before.</summary>
internal sealed class SequencePreTokenizer(IReadOnlyList<PreTokenizer> stages) : PreTokenizer
{
    [ThreadStatic] static List<Piece>? _scratch;

    /// <inheritdoc />
    public override bool IsByteLevel => stages.Any(s => s.IsByteLevel);

    /// <inheritdoc />
    public override void Split(Piece piece, List<Piece> output)
    {
        if (stages.Count == 0) { if (piece.Length > 0) output.Add(piece); return; }
        // Ping-pong between two lists: stage k reads one and writes the other.
        var current = new List<Piece> { piece };
        var next = _scratch ??= new List<Piece>();
        _scratch = null; // nested sequences get their own list
        for (int k = 0; k < stages.Count; k++)
        {
            var target = k == stages.Count - 1 ? output : next;
            if (target == next) next.Clear();
            foreach (var p in current) stages[k].Split(p, target);
            if (k < stages.Count - 1) (current, next) = (next, current);
        }
        next.Clear();
        _scratch = next;
    }
}
