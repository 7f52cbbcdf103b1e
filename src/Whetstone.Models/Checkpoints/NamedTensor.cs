namespace Whetstone.Models.Checkpoints;

/// <summary>A float32 tensor to write to a checkpoint, under its Hugging Face name.</summary>
/// <param name="Name">E.g. <c>model.norm.weight</c>.</param>
/// <param name="Shape">Dimensions, outermost first; their product must equal the data's length.</param>
/// <param name="Data">Row-major values.</param>
public sealed record NamedTensor(string Name, int[] Shape, ReadOnlyMemory<float> Data);
