namespace Whetstone.Tensors.Tests.Autograd;

public class ActivationGradTests
{
    private static readonly Shape S = new(3, 5);

    [Fact] public void Silu() => GradCheck.Check((t, x) => t.Silu(x[0]), [S]);

    [Fact] public void SwiGlu() => GradCheck.Check((t, x) => t.SwiGlu(x[0], x[1]), [S, S]);

    [Fact] public void GeluErf() => GradCheck.Check((t, x) => t.Gelu(x[0]), [S]);

    [Fact] public void GeluTanh() => GradCheck.Check((t, x) => t.Gelu(x[0], tanhApproximation: true), [S]);
}
