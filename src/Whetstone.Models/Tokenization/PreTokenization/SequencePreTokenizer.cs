namespace Whetstone.Models.Tokenization.PreTokenization;

/// <summary>tokenizer.json <c>{"type": "Sequence", "pretokenizers": [...]}</c>: each stage splits the pieces of the one before.</summary>
internal sealed class SequencePreTokenizer(IReadOnlyList<PreTokenizer> stages) : PreTokenizer
{
    /// <inheritdoc />
    public override bool IsByteLevel => stages.Any(s => s.IsByteLevel);

    /// <inheritdoc />
    public override void Split(Piece piece, List<Piece> output)
    {
        var current = new List<Piece> { piece };
        for (int k = 0; k < stages.Count; k++)
        {
            // The last stage writes straight into the caller's list.
            var next = k == stages.Count - 1 ? output : new List<Piece>(current.Count * 4);
            foreach (var p in current) stages[k].Split(p, next);
            current = next;
        }
        if (stages.Count == 0 && piece.Length > 0) output.Add(piece);
    }
}
