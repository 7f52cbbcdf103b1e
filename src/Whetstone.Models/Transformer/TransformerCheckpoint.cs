using Whetstone.Models.Checkpoints;
using Whetstone.Models.Configuration;
using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Models.Transformer;

public sealed partial class TransformerModel
{
    /// <summary>
    /// Loads a Hugging Face model directory: <c>config.json</c> plus <c>model.safetensors</c> or its shards.
    /// Every expected tensor is read with its shape checked; f16 and bf16 are widened to f32. Extra tensors
    /// (e.g. a redundant <c>lm_head.weight</c> of a tied model) are ignored.
    /// </summary>
    /// <exception cref="FileNotFoundException">config.json or the weights are missing.</exception>
    /// <exception cref="KeyNotFoundException">A tensor is missing; the message names it.</exception>
    /// <exception cref="InvalidDataException">A tensor is misshapen or the config invalid; the message names it.</exception>
    public static TransformerModel Load(string directory)
    {
        var config = ModelConfigJson.Load(directory);
        config.Validate(Path.Combine(directory, ModelConfigJson.FileName));
        return ReadWeights(config, directory);
    }

    /// <summary>
    /// Reads weights that are stored apart from their <c>config.json</c> (a training checkpoint's step folder) into a
    /// model of <paramref name="config"/>, with every expected tensor's shape checked as <see cref="Load"/> does.
    /// </summary>
    /// <param name="config">The model's shape.</param>
    /// <param name="weights">A folder with <c>model.safetensors</c> or its shards, or one <c>.safetensors</c> file.</param>
    /// <exception cref="FileNotFoundException">The weights are missing.</exception>
    /// <exception cref="KeyNotFoundException">A tensor is missing; the message names it.</exception>
    /// <exception cref="InvalidDataException">A tensor is misshapen or the config invalid; the message names it.</exception>
    public static TransformerModel FromWeights(ModelConfig config, string weights)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return ReadWeights(config, weights);
    }

    /// <summary>Every tensor <paramref name="config"/> implies, read from <paramref name="weights"/> with its shape checked.</summary>
    private static TransformerModel ReadWeights(ModelConfig config, string weights)
    {
        using var checkpoint = Checkpoint.Open(weights);
        var ps = new ParameterSet();
        try
        {
            foreach (var (name, shape, kind) in TransformerParameterNames.Enumerate(config))
            {
                var t = Tensor.Zeros(Shape.Of(shape));
                ps.Add(name, t, applyWeightDecay: kind == ParameterKind.Matrix);
                checkpoint.Read(name, shape, t.AsSpan());
            }
        }
        catch
        {
            foreach (var p in ps) p.Value.Dispose();
            throw;
        }
        return FromParameters(config, ps);
    }

    /// <summary>
    /// Writes <c>config.json</c> and the weights (<c>model.safetensors</c>, sharded past 5 GB) into
    /// <paramref name="directory"/>, each file atomically. <see cref="Load"/> reads it back bit for bit (f32).
    /// </summary>
    /// <param name="directory">Target directory, created if needed.</param>
    /// <param name="dtype">Stored element type; F32 keeps the weights exact.</param>
    public void Save(string directory, TensorDType dtype = TensorDType.F32)
    {
        Directory.CreateDirectory(directory);
        var tensors = new List<NamedTensor>(Parameters.Count);
        foreach (var p in Parameters)
        {
            var dims = new int[p.Value.Rank];
            for (int i = 0; i < dims.Length; i++) dims[i] = p.Value.Shape[i];
            tensors.Add(new NamedTensor(p.Name, dims, new TensorMemory(p.Value).Memory));
        }
        CheckpointWriter.Write(directory, tensors, dtype);
        // config.json last: a reader that finds a config finds complete weights beside it.
        ModelConfigJson.Save(Config, directory);
    }
}
