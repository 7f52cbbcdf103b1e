// The child process of the checkpoint crash test (tests/Whetstone.Training.Tests/Checkpointing/CrashResumeTests.cs).
// It trains a small MLP on synthetic data with AdamW, a warmup-cosine schedule, gradient clipping, a shuffled
// batch order per epoch and input noise from a registered RNG, saving a checkpoint every few steps and logging
// metrics. Run twice — once straight through, once killed and resumed — its final weights must be bit-identical.
//
//   dotnet Whetstone.Training.CrashChild.dll <run_dir> <total_steps> <checkpoint_every> [--resume] [--pause-after <step>]
//
// stdout protocol: "resumed <step>" or "fresh", then "step <n>" after each step, "paused <n>" when it stops
// to wait for the kill, and "done" at the end. Final weights go to <run_dir>/final.safetensors.
using System.Globalization;
using Whetstone.Models.Checkpoints;
using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Optim;
using Whetstone.Training.Checkpointing;
using Whetstone.Training.Metrics;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: <run_dir> <total_steps> <checkpoint_every> [--resume] [--pause-after <step>]");
    return 2;
}
string runDir = args[0];
int totalSteps = int.Parse(args[1], CultureInfo.InvariantCulture);
int every = int.Parse(args[2], CultureInfo.InvariantCulture);
bool resume = args.Contains("--resume");
int pauseIndex = Array.IndexOf(args, "--pause-after");
long pauseAfter = pauseIndex >= 0 ? long.Parse(args[pauseIndex + 1], CultureInfo.InvariantCulture) : -1;

const int examples = 48, features = 8, hidden = 16, classes = 4, batch = 8;
const ulong shuffleSeed = 1000;

// Synthetic data: labels from a fixed random teacher.
var dataRng = new Rng(7);
var x = Tensor.RandomNormal(new Shape(examples, features), dataRng);
var teacher = Tensor.RandomNormal(new Shape(classes, features), dataRng);
var labels = new int[examples];
for (int i = 0; i < examples; i++)
{
    float best = float.NegativeInfinity;
    for (int c = 0; c < classes; c++)
    {
        float score = 0;
        for (int f = 0; f < features; f++) score += teacher[c, f] * x[i, f];
        if (score > best) (best, labels[i]) = (score, c);
    }
}

var init = new Rng(42);
var ps = new ParameterSet();
var w1 = ps.Add("model.layers.0.mlp.up_proj.weight", Tensor.RandomNormal(new Shape(hidden, features), init, std: 0.3f));
var b1 = ps.Add("model.layers.0.mlp.up_proj.bias", Tensor.Zeros(new Shape(hidden)), applyWeightDecay: false);
var w2 = ps.Add("lm_head.weight", Tensor.RandomNormal(new Shape(classes, hidden), init, std: 0.2f));
var opt = new AdamW(ps, new AdamWOptions { WeightDecay = 0.01f });
var schedule = LearningRateSchedule.WarmupCosine(peak: 2e-2f, warmupSteps: 4, totalSteps: totalSteps, minLrRatio: 0.1f);
var noise = new Rng(99);
var state = new TrainingState(ps, opt).AddRng("augment", noise);
var checkpoints = new TrainingCheckpoints(runDir, keepLast: 2);
string config = $"{{\"total_steps\":{totalSteps},\"checkpoint_every\":{every},\"batch\":{batch}}}";

long step = 0;
var position = DataPosition.Start;
MetricsLog metrics;
var resumed = resume ? checkpoints.TryResume(state, w => Console.Error.WriteLine("warning: " + w)) : null;
if (resumed is not null)
{
    (step, position) = (resumed.Step, resumed.Data);
    metrics = MetricsLog.Resume(Path.Combine(runDir, "metrics.jsonl"), step);
    Console.WriteLine($"resumed {step}");
}
else
{
    metrics = MetricsLog.Create(Path.Combine(runDir, "metrics.jsonl"));
    Console.WriteLine("fresh");
}

using var tape = new Tape();
var xb = Tensor.Zeros(new Shape(batch, features));
var yb = new int[batch];
int epoch = position.Epoch;
int cursor = checked((int)position.Index);
int[] order = Shuffle(epoch);
while (step < totalSteps)
{
    for (int r = 0; r < batch; r++)
    {
        int i = order[cursor + r];
        x.Row(i).CopyTo(xb.Row(r));
        yb[r] = labels[i];
    }
    var jitter = xb.AsSpan();
    for (int k = 0; k < jitter.Length; k++) jitter[k] += 0.05f * (float)noise.NextNormal();

    var h = tape.Silu(tape.Linear(xb, w1, b1));
    var loss = tape.CrossEntropy(tape.MatMul(h, w2, transposeB: true), yb);
    tape.Backward(loss);
    float lossValue = loss[0];
    NonFiniteGuard.CheckLoss(step + 1, lossValue);
    double gradNorm = GradientClipping.ClipByGlobalNorm(ps, maxNorm: 1.0);
    opt.LearningRate = schedule.At(step);
    opt.Step();
    ps.ZeroGrad();
    tape.Reset();
    step++;

    cursor += batch;
    if (cursor + batch > examples)
    {
        epoch++;
        cursor = 0;
        order = Shuffle(epoch);
    }
    metrics.Write(new StepMetrics(step)
    {
        Epoch = epoch + (double)cursor / examples, Loss = lossValue, LearningRate = opt.LearningRate, GradNorm = gradNorm, Tokens = batch,
    }.Set("weight_rms", Rms(w1)));
    if (step % every == 0)
        checkpoints.Save(step, state, new DataPosition(epoch, cursor), config);
    Console.WriteLine($"step {step}");
    if (step == pauseAfter)
    {
        Console.WriteLine($"paused {step}");
        Console.In.ReadLine(); // wait for the parent's SIGKILL
    }
}
metrics.Dispose();
SafetensorsWriter.Write(Path.Combine(runDir, "final.safetensors"),
    ps.Select(p => new NamedTensor(p.Name, Dims(p.Value.Shape), p.Value.ToArray())).ToList());
Console.WriteLine("done");
return 0;

// The order of epoch e depends only on e: a resume rebuilds it from the saved epoch alone.
static int[] Shuffle(int epoch)
{
    var rng = new Rng(shuffleSeed + (ulong)epoch);
    var order = Enumerable.Range(0, examples).ToArray();
    for (int i = order.Length - 1; i > 0; i--)
    {
        int j = rng.NextInt(i + 1);
        (order[i], order[j]) = (order[j], order[i]);
    }
    return order;
}

static double Rms(Tensor t)
{
    double s = 0;
    foreach (float v in t.AsSpan()) s += (double)v * v;
    return Math.Sqrt(s / t.Count);
}

static int[] Dims(Shape s) => Enumerable.Range(0, s.Rank).Select(i => s[i]).ToArray();
