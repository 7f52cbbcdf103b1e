namespace Whetstone.Training.Reporting.Html;

/// <summary>
/// The report's only stylesheet, inlined. Colours come from a few variables switched by
/// <c>prefers-color-scheme</c>; SVG text and axes use <c>currentColor</c> so charts follow the theme. The smoothing
/// toggle is a checkbox read with <c>:has()</c>, so it works with scripts disabled.
/// </summary>
internal static class ReportStyles
{
    /// <summary>The CSS text.</summary>
    public const string Css = """
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --panel: #f6f8fa;
  --sys: #eef1f5; --user: #e8f0fe; --asst: #effaf1; --tool: #fff8e6; --err: #d1242f; --errbg: #ffebe9; --ok: #1a7f37; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #8d96a0; --line: #30363d; --panel: #161b22;
    --sys: #1c2128; --user: #132338; --asst: #12261b; --tool: #2b2312; --err: #f85149; --errbg: #3c1618; --ok: #3fb950; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; padding: 16px 24px 48px; max-width: 1700px; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 22px; margin: 4px 0; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; } h4 { font-size: 14px; margin: 12px 0 4px; }
.meta, .na, .chart-note, .src, .ci, .id { color: var(--muted); }
.na { font-style: italic; margin: 4px 0; }
nav a { margin-right: 14px; color: inherit; }
.controls { margin: 6px 0 10px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px 20px; }
figure.chart { flex: 1 1 700px; max-width: 840px; margin: 0; padding: 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
figure.chart figcaption { font-weight: 600; margin: 0 0 2px 4px; }
figure.chart svg { display: block; max-width: 100%; height: auto; font: 13px system-ui, sans-serif; fill: currentColor; }
.chart-note { font-size: 12px; margin: 2px 4px; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .frame { fill: none; stroke: var(--muted); stroke-width: 1; }
svg .label { font-weight: 600; }
svg polyline { fill: none; stroke-linejoin: round; stroke-linecap: round; }
svg .line { stroke-width: 2; }
svg .raw { stroke-width: 1.2; stroke-opacity: 0.35; }
svg .ema { stroke-width: 2.2; }
svg .band { fill-opacity: 0.16; stroke: none; }
svg .errbars { stroke-width: 1.5; fill: none; }
svg .pt { stroke: var(--bg); stroke-width: 1; }
body:has(#smooth:not(:checked)) svg .ema { display: none; }
body:has(#smooth:not(:checked)) svg .raw { stroke-opacity: 1; stroke-width: 1.6; }
svg .band.raw-band { display: none; }
body:has(#smooth:not(:checked)) svg .band.raw-band { display: inline; }
body:has(#smooth:not(:checked)) svg .band.ema-band { display: none; }
table.results { border-collapse: collapse; margin: 6px 0 12px; font-variant-numeric: tabular-nums; }
table.results th, table.results td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; white-space: nowrap; }
table.results th { background: var(--panel); font-weight: 600; }
table.results .num { text-align: right; }
.bar { display: inline-block; position: relative; width: 90px; height: 10px; margin-right: 8px; vertical-align: middle;
  background: var(--panel); border: 1px solid var(--line); border-radius: 2px; }
.bar .fill { position: absolute; left: 0; top: 0; bottom: 0; background: #3b82f6; opacity: 0.75; }
.bar .whisker { position: absolute; top: 4px; height: 2px; background: var(--fg); }
details.transcript { border: 1px solid var(--line); border-left: 4px solid var(--err); border-radius: 6px; margin: 8px 0; padding: 6px 10px; max-width: 1000px; }
details.transcript.ok { border-left-color: var(--ok); }
details.transcript > summary { cursor: pointer; }
.badge { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; background: var(--err); }
.badge.ok { background: var(--ok); }
.chat { display: flex; flex-direction: column; gap: 6px; margin: 8px 0; }
.msg { border-radius: 8px; padding: 6px 10px; max-width: 88%; border: 1px solid var(--line); }
.msg .role .id { text-transform: none; }
.msg .role { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin-bottom: 2px; }
.msg .text { white-space: pre-wrap; overflow-wrap: anywhere; }
.msg pre, .call pre { margin: 4px 0 0; padding: 6px 8px; background: var(--panel); border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; }
.msg.system { background: var(--sys); } .msg.user, .msg.env { background: var(--user); }
.msg.assistant { background: var(--asst); align-self: flex-end; } .msg.tool { background: var(--tool); }
.msg.error, .call.error { border: 1px solid var(--err); background: var(--errbg); }
.call { margin-top: 4px; border-radius: 6px; padding: 4px 6px; }
.tag { color: var(--err); font-weight: 600; text-transform: none; letter-spacing: 0; }
.step-reward { font-size: 12px; color: var(--ok); margin-top: 2px; }
.thinking summary { cursor: pointer; color: var(--muted); font-size: 12px; }
.outcome { margin: 4px 0; }
pre.config { background: var(--panel); padding: 8px; border-radius: 6px; overflow: auto; max-height: 480px; font-size: 12px; }
table.sources td { padding: 2px 12px 2px 0; }
""";
}
