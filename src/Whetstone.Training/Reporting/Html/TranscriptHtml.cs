using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Agents.Trajectories;
using Whetstone.Training.Reporting.Data;

namespace Whetstone.Training.Reporting.Html;

/// <summary>
/// A trajectory as a collapsible chat transcript: system, user, assistant and tool bubbles; tool calls with their
/// arguments pretty-printed; error observations and malformed calls highlighted; per-step and final rewards.
/// All text is model or environment output, so every piece is escaped and long pieces are cut.
/// </summary>
internal static class TranscriptHtml
{
    /// <summary>Longest text shown per bubble; the rest is summarised as "… (N more characters)".</summary>
    internal const int MaxChars = 4000;

    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The transcript as <c>&lt;details class="transcript"&gt;</c> with id <c>sample-N</c>.</summary>
    public static string Render(SampleTrajectory sample, int index)
    {
        var t = sample.Trajectory;
        var outcome = t.Success == true ? "ok" : "fail";
        var badge = t.Status == EpisodeStatus.InfrastructureError ? "infra error" : t.Success == true ? "solved" : t.Success == false ? "unsolved" : "no verdict";
        var turns = t.Steps.OfType<ActionStep>().Count();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<details class=\"transcript {outcome}\" id=\"sample-{index}\">\n<summary>");
        sb.Append(CultureInfo.InvariantCulture, $"<span class=\"badge {outcome}\">{badge}</span> <code>{Encode(t.Id)}</code>");
        if (t.Environment is not null) sb.Append(" · ").Append(Encode(t.Environment));
        if (t.Reward is { } r) sb.Append(" · reward ").Append(HtmlText.Number(r));
        sb.Append(CultureInfo.InvariantCulture, $" · {turns} turn{(turns == 1 ? "" : "s")}");
        sb.Append(CultureInfo.InvariantCulture, $" <span class=\"src\">{Encode(sample.Source)}:{sample.Line}</span></summary>\n<div class=\"chat\">\n");

        foreach (var step in t.Steps)
        {
            switch (step)
            {
                case ObservationStep o: AppendObservation(sb, o); break;
                case ActionStep a: AppendAction(sb, a); break;
            }
        }
        sb.Append("</div>\n<p class=\"outcome\">");
        sb.Append(CultureInfo.InvariantCulture, $"status <b>{t.Status}</b>");
        if (t.StatusDetail is not null) sb.Append(" (").Append(Encode(t.StatusDetail)).Append(')');
        sb.Append(" · success <b>").Append(t.Success switch { true => "yes", false => "no", null => "unknown" }).Append("</b>");
        if (t.Reward is { } reward) sb.Append(" · reward <b>").Append(HtmlText.Number(reward)).Append("</b>");
        foreach (var (name, value) in t.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            sb.Append(" · ").Append(Encode(name)).Append(' ').Append(HtmlText.Number(value));
        sb.Append("</p>\n</details>\n");
        return sb.ToString();
    }

    private static void AppendObservation(StringBuilder sb, ObservationStep step)
    {
        var o = step.Observation;
        var role = o.Source switch
        {
            ObservationSource.System => "system",
            ObservationSource.User => "user",
            ObservationSource.Tool => "tool",
            _ => "env",
        };
        var error = o.IsError ? " error" : "";
        sb.Append(CultureInfo.InvariantCulture, $"<div class=\"msg {role}{error}\"><div class=\"role\">{role}");
        if (o.Name is not null) sb.Append(" · ").Append(Encode(o.Name));
        if (o.ToolCallId is not null) sb.Append(" <span class=\"id\">").Append(Encode(o.ToolCallId)).Append("</span>");
        if (o.IsError) sb.Append(" <span class=\"tag\">error</span>");
        sb.Append("</div>");
        var text = o.IsJson ? PrettyJson(o.Content) : o.Content;
        sb.Append(o.IsJson ? "<pre class=\"json\">" : "<div class=\"text\">").Append(Encode(text)).Append(o.IsJson ? "</pre>" : "</div>");
        AppendStepReward(sb, step);
        sb.Append("</div>\n");
    }

    private static void AppendAction(StringBuilder sb, ActionStep step)
    {
        var a = step.Action;
        sb.Append("<div class=\"msg assistant\"><div class=\"role\">assistant</div>");
        if (!string.IsNullOrEmpty(a.Reasoning))
            sb.Append("<details class=\"thinking\"><summary>reasoning</summary><div class=\"text\">").Append(Encode(a.Reasoning)).Append("</div></details>");
        if (!string.IsNullOrEmpty(a.Content)) sb.Append("<div class=\"text\">").Append(Encode(a.Content)).Append("</div>");
        foreach (var call in a.ToolCalls)
        {
            sb.Append("<div class=\"call\"><div class=\"call-head\">call <b>").Append(Encode(call.Name)).Append("</b> <span class=\"id\">")
              .Append(Encode(call.Id)).Append("</span></div><pre class=\"json\">").Append(Encode(PrettyJson(call.ArgumentsJson))).Append("</pre></div>");
        }
        foreach (var bad in a.MalformedToolCalls)
        {
            sb.Append("<div class=\"call error\"><div class=\"call-head\"><span class=\"tag\">malformed tool call</span> ")
              .Append(Encode(bad.Error)).Append("</div><pre>").Append(Encode(bad.RawText)).Append("</pre></div>");
        }
        if (a.Code is { } code)
        {
            sb.Append("<div class=\"call\"><div class=\"call-head\">run <b>").Append(Encode(code.Language)).Append("</b></div><pre>")
              .Append(Encode(code.Source)).Append("</pre></div>");
        }
        AppendStepReward(sb, step);
        sb.Append("</div>\n");
    }

    private static void AppendStepReward(StringBuilder sb, TrajectoryStep step)
    {
        if (step.Reward is { } r && r != 0)
            sb.Append("<div class=\"step-reward\">reward ").Append(r > 0 ? "+" : "").Append(HtmlText.Number(r)).Append("</div>");
    }

    /// <summary>Indented JSON when <paramref name="text"/> parses, else the text unchanged (the model's raw output matters).</summary>
    private static string PrettyJson(string text)
    {
        try
        {
            return JsonNode.Parse(text)?.ToJsonString(Pretty) ?? text;
        }
        catch (JsonException)
        {
            return text;
        }
    }

    private static string Encode(string? text)
    {
        if (text is null) return "";
        if (text.Length > MaxChars)
            text = string.Create(CultureInfo.InvariantCulture, $"{text[..MaxChars]}\n… ({text.Length - MaxChars:N0} more characters)");
        return HtmlText.Encode(text);
    }
}
