using System.Text.RegularExpressions;

namespace Whetstone.Models.Gguf;

/// <summary>
/// Hugging Face tensor names of Llama/Qwen2/Qwen3 checkpoints and their llama.cpp GGUF names
/// (gguf-py's tensor_mapping): <c>model.layers.3.self_attn.q_proj.weight</c> is <c>blk.3.attn_q.weight</c>.
/// </summary>
public static partial class GgufTensorNames
{
    private static readonly Dictionary<string, string> Global = new(StringComparer.Ordinal)
    {
        ["model.embed_tokens"] = "token_embd",
        ["model.norm"] = "output_norm",
        ["lm_head"] = "output",
    };

    private static readonly Dictionary<string, string> PerLayer = new(StringComparer.Ordinal)
    {
        ["input_layernorm"] = "attn_norm",
        ["self_attn.q_proj"] = "attn_q",
        ["self_attn.k_proj"] = "attn_k",
        ["self_attn.v_proj"] = "attn_v",
        ["self_attn.o_proj"] = "attn_output",
        ["self_attn.q_norm"] = "attn_q_norm",
        ["self_attn.k_norm"] = "attn_k_norm",
        ["post_attention_layernorm"] = "ffn_norm",
        ["mlp.gate_proj"] = "ffn_gate",
        ["mlp.up_proj"] = "ffn_up",
        ["mlp.down_proj"] = "ffn_down",
    };

    /// <summary>The name of llama.cpp's Llama 3 RoPE frequency-factor tensor (no HF counterpart).</summary>
    public const string RopeFreqs = "rope_freqs.weight";

    [GeneratedRegex(@"^model\.layers\.(\d+)\.(.+)\.(weight|bias)$")]
    private static partial Regex LayerName();

    /// <summary>The GGUF name of HF tensor <paramref name="hfName"/>, or null when it has none.</summary>
    public static string? FromHf(string hfName)
    {
        var m = LayerName().Match(hfName);
        if (m.Success)
            return PerLayer.TryGetValue(m.Groups[2].Value, out var part) ? $"blk.{m.Groups[1].Value}.{part}.{m.Groups[3].Value}" : null;
        int dot = hfName.LastIndexOf('.');
        if (dot < 0)
            return null;
        var suffix = hfName[(dot + 1)..];
        return suffix is "weight" or "bias" && Global.TryGetValue(hfName[..dot], out var g) ? $"{g}.{suffix}" : null;
    }

    /// <summary>The HF name of GGUF tensor <paramref name="ggufName"/>, or null when it has none.</summary>
    public static string? ToHf(string ggufName)
    {
        int dot = ggufName.LastIndexOf('.');
        if (dot < 0)
            return null;
        var (stem, suffix) = (ggufName[..dot], ggufName[(dot + 1)..]);
        if (stem.StartsWith("blk.", StringComparison.Ordinal))
        {
            var parts = stem.Split('.', 3);
            if (parts.Length != 3 || !int.TryParse(parts[1], out _))
                return null;
            var hf = PerLayer.FirstOrDefault(kv => kv.Value == parts[2]).Key;
            return hf is null ? null : $"model.layers.{parts[1]}.{hf}.{suffix}";
        }
        var global = Global.FirstOrDefault(kv => kv.Value == stem).Key;
        return global is null ? null : $"{global}.{suffix}";
    }
}
