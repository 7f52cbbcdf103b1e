using Whetstone.Models.Checkpoints;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Models.Tokenization;
using Whetstone.Models.Tokenization.Training;

namespace Whetstone.Training.Data;

/// <summary>
/// Writes the tokenizer_config.json of a model trained from scratch: Qwen2-style fields (eos <c>&lt;|im_end|&gt;</c>,
/// no BOS, <c>added_tokens_decoder</c>) and the <see cref="ChatMlTemplate"/> chat template, so that a tiny model's
/// directory (config.json + model.safetensors + tokenizer.json + tokenizer_config.json) loads in transformers and in
/// Whetstone alike.
/// <code>
/// var trained = new BpeTrainer(new BpeTrainerOptions { VocabSize = 2048 }).Train(corpus);
/// ChatMlTokenizerConfig.WriteTokenizerFiles("models/tiny", trained);   // tokenizer.json + tokenizer_config.json
/// var chat = ChatFormatter.FromDirectory("models/tiny");
/// </code>
/// </summary>
public static class ChatMlTokenizerConfig
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The config for <paramref name="tokenizer"/>, which must have <c>&lt;|im_start|&gt;</c> and <c>&lt;|im_end|&gt;</c>
    /// as added tokens (BpeTrainer's defaults do). The pad token is <c>&lt;|endoftext|&gt;</c> when present, else
    /// <c>&lt;|im_end|&gt;</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A ChatML token is missing from the tokenizer.</exception>
    public static JsonObject Create(Tokenizer tokenizer, int modelMaxLength = 2048, string chatTemplate = ChatMlTemplate.Source)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        foreach (var required in new[] { ChatMlTemplate.ImStart, ChatMlTemplate.ImEnd })
            if (!tokenizer.AddedTokens.Any(t => t.Content == required))
                throw new ArgumentException($"{tokenizer.Source}: the ChatML template needs the added token '{required}' (train with it in BpeTrainerOptions.SpecialTokens)", nameof(tokenizer));
        var decoder = new JsonObject();
        foreach (var t in tokenizer.AddedTokens.OrderBy(t => t.Id))
            decoder[t.Id.ToString(CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["content"] = t.Content,
                ["lstrip"] = t.LStrip,
                ["normalized"] = t.Normalized,
                ["rstrip"] = t.RStrip,
                ["single_word"] = t.SingleWord,
                ["special"] = t.Special,
            };
        var specials = new JsonArray();
        foreach (var t in tokenizer.AddedTokens.Where(t => t.Special && t.Content != "<|endoftext|>")) specials.Add(t.Content);
        string pad = tokenizer.AddedTokens.Any(t => t.Content == "<|endoftext|>") ? "<|endoftext|>" : ChatMlTemplate.ImEnd;
        return new JsonObject
        {
            ["add_bos_token"] = false,
            ["add_prefix_space"] = false,
            ["added_tokens_decoder"] = decoder,
            ["additional_special_tokens"] = specials,
            ["bos_token"] = null,
            ["chat_template"] = chatTemplate,
            ["clean_up_tokenization_spaces"] = false,
            ["eos_token"] = ChatMlTemplate.ImEnd,
            ["errors"] = "replace",
            ["model_max_length"] = modelMaxLength,
            ["pad_token"] = pad,
            ["split_special_tokens"] = false,
            ["tokenizer_class"] = "Qwen2Tokenizer",
            ["unk_token"] = null,
        };
    }

    /// <summary>Writes tokenizer_config.json into <paramref name="directory"/> atomically; returns its path.</summary>
    public static string Write(string directory, Tokenizer tokenizer, int modelMaxLength = 2048, string chatTemplate = ChatMlTemplate.Source)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var json = Create(tokenizer, modelMaxLength, chatTemplate).ToJsonString(Indented);
        string file = Path.Combine(directory, "tokenizer_config.json");
        AtomicFile.WriteAllText(file, json + "\n");
        return file;
    }

    /// <summary>Writes tokenizer.json and tokenizer_config.json of a freshly trained tokenizer into <paramref name="directory"/>.</summary>
    public static void WriteTokenizerFiles(string directory, TrainedBpe trained, int modelMaxLength = 2048)
    {
        ArgumentNullException.ThrowIfNull(trained);
        Directory.CreateDirectory(directory);
        trained.Save(Path.Combine(directory, "tokenizer.json"));
        Write(directory, trained.ToTokenizer(), modelMaxLength);
    }
}
