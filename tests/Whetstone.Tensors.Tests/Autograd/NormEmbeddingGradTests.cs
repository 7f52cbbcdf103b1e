using Whetstone.Tensors.Autograd;

namespace Whetstone.Tensors.Tests.Autograd;

public class NormEmbeddingGradTests
{
    [Fact]
    public void RmsNorm() => GradCheck.Check((t, x) => t.RmsNorm(x[0], x[1], 1e-5f), [new Shape(2, 3, 6), new Shape(6)]);

    [Fact]
    public void LayerNorm() => GradCheck.Check((t, x) => t.LayerNorm(x[0], x[1], x[2]), [new Shape(4, 6), new Shape(6), new Shape(6)]);

    [Fact]
    public void RmsNorm_FrozenWeight_OnlyInputGetsGradient()
    {
        GradCheck.Check((t, x) => t.RmsNorm(x[0], x[1]), [new Shape(3, 5), new Shape(5)], differentiable: [true, false]);
    }

    [Fact]
    public void Embedding_RepeatedIdsAccumulate()
    {
        int[] ids = [2, 0, 2, 4, 1, 2];
        GradCheck.Check((t, x) => t.Embedding(x[0], ids, new Shape(2, 3, 3)), [new Shape(5, 3)]);
    }
}
