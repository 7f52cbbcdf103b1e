using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Optim;

namespace Whetstone.Tensors.Tests.Optim;

public class ScheduleAndClippingTests
{
    [Fact]
    public void WarmupCosine_KnownSteps()
    {
        var s = LearningRateSchedule.WarmupCosine(peak: 1f, warmupSteps: 10, totalSteps: 110, minLrRatio: 0.1f);
        Assert.Equal(0f, s.At(0), 6);
        Assert.Equal(0.5f, s.At(5), 6);
        Assert.Equal(1f, s.At(10), 6);
        Assert.Equal(0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * 0.25)), s.At(35), 6);
        Assert.Equal(0.55f, s.At(60), 6);
        Assert.Equal(0.1f, s.At(110), 6);
        Assert.Equal(0.1f, s.At(1000), 6);
    }

    [Fact]
    public void WarmupLinear_KnownSteps()
    {
        var s = LearningRateSchedule.WarmupLinear(peak: 2f, warmupSteps: 4, totalSteps: 104, minLrRatio: 0f);
        Assert.Equal(1f, s.At(2), 6);
        Assert.Equal(2f, s.At(4), 6);
        Assert.Equal(1.5f, s.At(29), 6);
        Assert.Equal(0f, s.At(104), 6);
        var floored = LearningRateSchedule.WarmupLinear(peak: 1f, warmupSteps: 0, totalSteps: 100, minLrRatio: 0.2f);
        Assert.Equal(1f, floored.At(0), 6);
        Assert.Equal(0.6f, floored.At(50), 6);
        Assert.Equal(0.2f, floored.At(100), 6);
    }

    [Fact]
    public void Constant_WithAndWithoutWarmup()
    {
        Assert.Equal(3e-4f, LearningRateSchedule.Constant(3e-4f).At(0));
        Assert.Equal(3e-4f, LearningRateSchedule.Constant(3e-4f).At(12345));
        var warm = LearningRateSchedule.Constant(1f, warmupSteps: 4);
        Assert.Equal(0.25f, warm.At(1), 6);
        Assert.Equal(1f, warm.At(4), 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.WarmupCosine(1f, 10, 5));
    }

    [Fact]
    public void ClipByGlobalNorm_ScalesAllGradientsAndReturnsPreClipNorm()
    {
        var ps = new ParameterSet();
        var a = ps.Add("a", Tensor.Zeros(new Shape(2)));
        var b = ps.Add("b", Tensor.Zeros(new Shape(1)));
        ps.Add("unused", Tensor.Zeros(new Shape(1)));
        a.Grad = Tensor.FromArray([3f, 0f]);
        b.Grad = Tensor.FromArray([4f]);
        Assert.Equal(5.0, GradientClipping.ClipByGlobalNorm(ps, 1.0), 6);
        Assert.Equal(0.6f, a.Grad[0], 5);
        Assert.Equal(0.8f, b.Grad[0], 5);
        Assert.Equal(1.0, GradientClipping.GlobalNorm(ps), 5);
        // Under the limit nothing changes.
        Assert.Equal(1.0, GradientClipping.ClipByGlobalNorm(ps, 10.0), 5);
        Assert.Equal(0.6f, a.Grad[0], 5);
    }
}
