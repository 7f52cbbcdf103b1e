using Whetstone.Models.Lora;
using Whetstone.Models.Transformer;
using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Optim;
using Whetstone.Training.Checkpointing;

namespace Whetstone.Training.Sft;

/// <summary>
/// What a trainer updates: every model tensor with <c>RequiresGrad</c> (full fine-tuning, or a partly frozen model), or
/// only a <see cref="LoraModel"/>'s A and B. The optimizer, gradient clipping and checkpoints all use this one
/// <see cref="ParameterSet"/>, so a frozen base gets no gradient buffer, no AdamW moment and no checkpoint copy.
/// </summary>
internal static class TrainableSet
{
    /// <summary>Name of the LoRA dropout generator in a checkpoint's trainer_state.json.</summary>
    public const string LoraDropoutRng = "lora_dropout";

    /// <summary>The model's parameters that have RequiresGrad, in the model's order.</summary>
    public static ParameterSet Of(TransformerModel model, string trainer)
    {
        var set = new ParameterSet();
        foreach (var p in model.Parameters)
            if (p.Value.RequiresGrad) set.Add(p.Name, p.Value, p.ApplyWeightDecay);
        if (set.Count > 0) return set;
        bool adapted = model.Blocks.Any(b => b.Projections().Any(x => x.Layer.Extension is LoraLayer));
        throw new ArgumentException(adapted
            ? $"{trainer}: the model has LoRA adapters attached and its base is frozen; pass the LoraModel to train the adapters."
            : $"{trainer}: no model parameter has RequiresGrad set; nothing to train.");
    }

    /// <summary>The adapters' A and B (the LoraModel's own set, so the checkpoint names are PEFT's).</summary>
    public static ParameterSet Of(LoraModel lora, string trainer)
    {
        if (lora.IsMerged)
            throw new ArgumentException($"{trainer}: the LoRA adapters are merged into the base weights; call Unmerge() before training them.");
        if (lora.Parameters.Count == 0) throw new ArgumentException($"{trainer}: the LoraModel has no adapters; nothing to train.");
        return lora.Parameters;
    }

    /// <summary>The checkpointed state: the trainable set, its AdamW, and with LoRA the dropout generator.</summary>
    public static TrainingState State(ParameterSet trainable, AdamW optimizer, LoraModel? lora)
    {
        var state = new TrainingState(trainable, optimizer);
        if (lora is not null) state.AddRng(LoraDropoutRng, lora.DropoutRng);
        return state;
    }
}
