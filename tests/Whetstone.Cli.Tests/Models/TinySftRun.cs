using Whetstone.Cli.Tests.Infrastructure;

namespace Whetstone.Cli.Tests.Models;

/// <summary>
/// A run directory made by <c>whet train sft</c> on recipes/sft-calc-tiny.yaml shrunk by <see cref="Overrides"/> to a
/// 64-wide model, a 400-id tokenizer and 4 steps with a checkpoint every 2: checkpoints/step-000002, step-000004,
/// latest, config.json and final/. <see cref="LoraRun"/> is a 4-step LoRA run on its final/ (made on first use). Each
/// takes a few seconds, once per test run; tests that damage a run work on a <see cref="CopyRun"/>.
/// </summary>
public sealed class TinySftRun : IDisposable
{
    /// <summary>The recipe the run shrinks.</summary>
    public static readonly string SftRecipe = Path.Combine(Repository.Root, "recipes", "sft-calc-tiny.yaml");

    /// <summary>The LoRA recipe <see cref="LoraRun"/> shrinks.</summary>
    public static readonly string LoraRecipe = Path.Combine(Repository.Root, "recipes", "sft-lora-calc-tiny.yaml");

    private readonly TempDirectory _dir = new();
    private readonly Lazy<string> _lora;

    /// <summary>Overrides that shrink recipes/sft-calc-tiny.yaml to a 64-wide model, a 400-id tokenizer and 4 steps, saving every 2.</summary>
    public static string[] Overrides(string runDirectory, string tokenizerDirectory, string data) =>
    [
        $"output_dir={runDirectory}", $"model.tokenizer={tokenizerDirectory}", "model.vocab_size=400",
        "model.hidden_size=64", "model.intermediate_size=128", "sft.max_steps=4", "sft.warmup_steps=1", "sft.save_every=2",
        $"data.train=[{data}]",
    ];

    public TinySftRun()
    {
        Data = _dir.File("calc-expert.jsonl");
        Directory = _dir.File("run");
        Run("rollout", "--env", "calc", "--policy", "expert", "--episodes", "24", "--split", "train", "--out", Data);
        Run(["train", "sft", "--config", SftRecipe, .. Overrides(Directory, _dir.File("tokenizer"), Data)]);
        _lora = new Lazy<string>(() =>
        {
            var lora = _dir.File("lora-run");
            Run("train", "sft", "--config", LoraRecipe, $"output_dir={lora}", $"model.path={Final}", $"data.train=[{Data}]", "data.eval=[]",
                "sft.max_steps=4", "sft.warmup_steps=1", "sft.save_every=2", "sft.eval_every=0", "lora.rank=4", "lora.merge=false");
            return lora;
        });
    }

    /// <summary>The expert trajectories the run trained on.</summary>
    public string Data { get; }

    /// <summary>The run directory.</summary>
    public string Directory { get; }

    /// <summary>The run's final/ model.</summary>
    public string Final => Path.Combine(Directory, "final");

    /// <summary>A LoRA run (rank 4 on all seven projections, 4 steps, checkpoints at 2 and 4) whose base is <see cref="Final"/>.</summary>
    public string LoraRun => _lora.Value;

    /// <summary>The weights file of checkpoint <paramref name="step"/> of <paramref name="run"/>.</summary>
    public static string CheckpointWeights(string run, int step) =>
        Path.Combine(run, "checkpoints", $"step-{step:D6}", "model.safetensors");

    /// <summary>Copies the run directory to <paramref name="destination"/> and returns it.</summary>
    public string CopyRun(string destination)
    {
        foreach (var dir in System.IO.Directory.EnumerateDirectories(Directory, "*", SearchOption.AllDirectories))
            System.IO.Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(Directory, dir)));
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(Directory, file)));
        return destination;
    }

    private static void Run(params string[] args)
    {
        var result = Whet.RunAsync(args).GetAwaiter().GetResult();
        if (result.ExitCode != 0) throw new InvalidOperationException($"whet {string.Join(' ', args)} failed: {result}");
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>The tests that share one <see cref="TinySftRun"/>.</summary>
[CollectionDefinition(Name)]
public sealed class TinySftRunCollection : ICollectionFixture<TinySftRun>
{
    public const string Name = "tiny sft run";
}
