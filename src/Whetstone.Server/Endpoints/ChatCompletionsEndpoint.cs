using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Whetstone.Models.Generation;
using Whetstone.Server.Protocol;
using Whetstone.Server.Replies;
using Whetstone.Training.Data;

namespace Whetstone.Server.Endpoints;

/// <summary>
/// <c>POST /v1/chat/completions</c>: validates the body, renders the conversation and tools with the model's chat
/// template, queues the sequence on the shared <see cref="BatchedDecoder"/>, and answers with one
/// <c>chat.completion</c> or, with <c>stream: true</c>, server-sent <c>chat.completion.chunk</c> events ending in
/// <c>data: [DONE]</c>. Streamed and non-streamed replies go through the same <see cref="ReplyStream"/>, so for
/// the same seed the chunks add up to the non-streamed message.
/// </summary>
internal sealed class ChatCompletionsEndpoint(ChatFormatter chat, BatchedDecoder decoder, ServerOptions options, int maxSequenceLength)
{
    private readonly IReadOnlyList<int> _stopIds = chat.StopTokenIds;

    public async Task Handle(HttpContext context)
    {
        var clock = Stopwatch.StartNew();
        var ct = context.RequestAborted;
        ChatCompletionRequest request;
        int[] prompt;
        bool promptOpensReasoning;
        ChannelReader<DecodeUpdate> updates;
        try
        {
            var body = await ReadBody(context).ConfigureAwait(false);
            request = ChatRequestReader.Read(body, options.MaxTokensLimit);
            if (request.Model != options.ModelName)
                throw new ApiError(404, $"The model \"{request.Model}\" does not exist; this server serves \"{options.ModelName}\" (see GET /v1/models).",
                    "model", "model_not_found");
            string rendered;
            try
            {
                rendered = chat.RenderPrompt(request.Messages, request.Tools);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new ApiError(400, $"The chat template could not render these messages: {e.Message}", "messages", "template_error");
            }
            prompt = chat.Encode(rendered);
            if (prompt.Length >= maxSequenceLength)
                throw new ApiError(400, $"The prompt is {prompt.Length} tokens; this server's context is {maxSequenceLength} tokens (prompt + reply).",
                    "messages", "context_length_exceeded");
            promptOpensReasoning = OpensReasoning(rendered);
            var sampling = new SamplingOptions
            {
                Temperature = request.Temperature,
                TopP = request.TopP,
                TopK = request.TopK,
                MinP = request.MinP,
                Seed = request.Seed is { } s ? unchecked((ulong)s) : null,
                MaxNewTokens = request.MaxTokens ?? options.MaxTokensLimit,
                StopTokenIds = _stopIds,
                StopStrings = request.Stop,
            };
            updates = decoder.Submit(new GenerationRequest(prompt, sampling, ids => chat.Tokenizer.Decode(ids)), ct);
        }
        catch (ApiError e)
        {
            await ErrorWriter.Write(context, e).ConfigureAwait(false);
            Log(context, e.Status, clock, 0, 0);
            return;
        }

        var builder = new ChatResponseBuilder($"chatcmpl-{Guid.NewGuid():N}", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), options.ModelName);
        var parser = new ReplyParser(chat.Options.ReasoningOpenTag, chat.Options.ReasoningCloseTag, request.Stop,
            $"call_{Guid.NewGuid().ToString("N")[..12]}_");
        var reply = new ReplyStream(parser, promptOpensReasoning);
        var text = chat.Tokenizer.CreateStreamingDecoder();
        int completionTokens;
        try
        {
            if (request.Stream)
                completionTokens = await Stream(context, request, builder, reply, text, updates, prompt.Length, ct).ConfigureAwait(false);
            else
                completionTokens = await Complete(context, builder, reply, text, updates, prompt.Length, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Log(context, 499, clock, prompt.Length, 0);
            return;
        }
        catch (ChannelClosedException e) when (e.InnerException is ArgumentException a && !context.Response.HasStarted)
        {
            await ErrorWriter.Write(context, new ApiError(400, a.Message, "messages")).ConfigureAwait(false);
            Log(context, 400, clock, prompt.Length, 0);
            return;
        }
        catch (ChannelClosedException e) when (!context.Response.HasStarted)
        {
            await ErrorWriter.Write(context, new ApiError(500, $"Generation failed: {e.InnerException?.Message ?? e.Message}", null, "generation_failed"))
                .ConfigureAwait(false);
            Log(context, 500, clock, prompt.Length, 0);
            return;
        }
        Log(context, 200, clock, prompt.Length, completionTokens);
    }

    private static async Task<int> Complete(HttpContext context, ChatResponseBuilder builder, ReplyStream reply, Whetstone.Models.Tokenization.StreamingDecoder text,
        ChannelReader<DecodeUpdate> updates, int promptTokens, CancellationToken ct)
    {
        var (result, _) = await Drain(reply, text, updates, null, ct).ConfigureAwait(false);
        var (final, _, _) = reply.Finish();
        var body = builder.Completion(final, ChatResponseBuilder.FinishReason(result.Reason, final), promptTokens, result.Tokens.Count);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(WireJson.Options), ct).ConfigureAwait(false);
        return result.Tokens.Count;
    }

    private static async Task<int> Stream(HttpContext context, ChatCompletionRequest request, ChatResponseBuilder builder, ReplyStream reply,
        Whetstone.Models.Tokenization.StreamingDecoder text, ChannelReader<DecodeUpdate> updates, int promptTokens, CancellationToken ct)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await Send(context, builder.Chunk(role: "assistant", content: ""), ct).ConfigureAwait(false);
        GenerationResult result;
        try
        {
            (result, _) = await Drain(reply, text, updates, (r, c) =>
                r.Length == 0 && c.Length == 0 ? Task.CompletedTask
                : Send(context, builder.Chunk(content: c.Length > 0 ? c : null, reasoning: r.Length > 0 ? r : null), ct), ct).ConfigureAwait(false);
        }
        catch (ChannelClosedException e) when (e.InnerException is not OperationCanceledException)
        {
            var error = new ApiError(500, $"Generation failed: {e.InnerException?.Message ?? e.Message}", null, "generation_failed");
            await SendRaw(context, error.ToJson().ToJsonString(), ct).ConfigureAwait(false);
            await SendRaw(context, "[DONE]", ct).ConfigureAwait(false);
            return 0;
        }
        var (final, reasoningRest, contentRest) = reply.Finish();
        if (reasoningRest.Length > 0 || contentRest.Length > 0)
            await Send(context, builder.Chunk(content: contentRest.Length > 0 ? contentRest : null,
                reasoning: reasoningRest.Length > 0 ? reasoningRest : null), ct).ConfigureAwait(false);
        if (final.ToolCalls.Count > 0) await Send(context, builder.Chunk(toolCalls: final.ToolCalls), ct).ConfigureAwait(false);
        await Send(context, builder.Chunk(finishReason: ChatResponseBuilder.FinishReason(result.Reason, final)), ct).ConfigureAwait(false);
        if (request.StreamIncludeUsage) await Send(context, builder.UsageChunk(promptTokens, result.Tokens.Count), ct).ConfigureAwait(false);
        await SendRaw(context, "[DONE]", ct).ConfigureAwait(false);
        return result.Tokens.Count;
    }

    /// <summary>Reads tokens until the sequence finishes, feeding the text (the final stop token left out) to the reply.</summary>
    private static async Task<(GenerationResult Result, int Count)> Drain(ReplyStream reply, Whetstone.Models.Tokenization.StreamingDecoder text,
        ChannelReader<DecodeUpdate> updates, Func<string, string, Task>? onDelta, CancellationToken ct)
    {
        int count = 0;
        await foreach (var update in updates.ReadAllAsync(ct).ConfigureAwait(false))
        {
            count++;
            var finished = update.Finished;
            bool endOfTurn = finished is { Reason: FinishReason.StopToken };
            string piece = endOfTurn ? "" : text.Push(update.Token.Id);
            if (finished is not null) piece += text.Flush();
            var (r, c) = reply.Append(piece);
            if (onDelta is not null) await onDelta(r, c).ConfigureAwait(false);
            if (finished is not null) return (finished, count);
        }
        throw new ChannelClosedException(new InvalidOperationException("The decoder ended the sequence without a result."));
    }

    private static Task Send(HttpContext context, JsonObject chunk, CancellationToken ct) => SendRaw(context, chunk.ToJsonString(WireJson.Options), ct);

    private static async Task SendRaw(HttpContext context, string data, CancellationToken ct)
    {
        await context.Response.WriteAsync($"data: {data}\n\n", ct).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>True when the generation prompt leaves a reasoning block open (the template wrote the open tag).</summary>
    private bool OpensReasoning(string rendered)
    {
        if (string.IsNullOrEmpty(chat.Options.ReasoningOpenTag) || string.IsNullOrEmpty(chat.Options.ReasoningCloseTag)) return false;
        int open = rendered.LastIndexOf(chat.Options.ReasoningOpenTag, StringComparison.Ordinal);
        return open >= 0 && open > rendered.LastIndexOf(chat.Options.ReasoningCloseTag, StringComparison.Ordinal);
    }

    private async Task<byte[]> ReadBody(HttpContext context)
    {
        long limit = options.MaxRequestBytes;
        if (context.Request.ContentLength > limit) throw TooLarge(limit);
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        try
        {
            int n;
            while ((n = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > limit) throw TooLarge(limit);
                buffer.Write(chunk, 0, n);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(limit);
        }
        if (buffer.Length == 0) throw new ApiError(400, "The request body is empty: send a JSON object with model and messages.", null, "invalid_json");
        return buffer.ToArray();
    }

    private static ApiError TooLarge(long limit) =>
        new(413, $"The request body is larger than this server's limit of {limit} bytes.", null, "request_too_large");

    private void Log(HttpContext context, int status, Stopwatch clock, int promptTokens, int completionTokens)
    {
        options.Log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{context.Request.Method} {context.Request.Path} {status} {promptTokens}+{completionTokens} tok {clock.Elapsed.TotalSeconds:F2}s"));
    }
}
