#!/usr/bin/env bash
# Renders a `whet report` page in headless Chromium and fails when the page is broken:
#   - a chart is missing (each expected <figure id="chart-…"> must be in the rendered DOM with an <svg> and ≥ 1 series),
#   - the page logged anything to the console (it has no scripts, so any message is a script error or a
#     Content-Security-Policy violation, i.e. content that escaped escaping and tried to run or load),
#   - the rendered DOM holds a live <script>, <img>, <iframe>, <object> or <embed> element (sample trajectories carry
#     model output; the example run includes a hostile one).
# It also writes a screenshot, to look at.
#
# Usage: scripts/check-report.sh [RUN_DIR] [OUT_DIR]
#   RUN_DIR  run directory to report on; default: a fresh example run (`whet report DIR --write-example`)
#   OUT_DIR  where report.html, dom.html, report.png and chromium.log go; default /tmp/whet-report-check
# Environment:
#   CHROMIUM=chromium         browser binary (Debian: apt-get install -y chromium)
#   EXPECT="chart-loss …"     chart ids that must be present; default: the five core charts for the example run,
#                             else every chart the generated HTML contains
#   WIDTH=1280 HEIGHT=2400 SCALE=1   screenshot window size and device scale factor
# Exit code 0 when every check passes, 1 otherwise. Chromium is not a test dependency; this is a manual/CI check.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
out="${2:-/tmp/whet-report-check}"
chromium="${CHROMIUM:-chromium}"
width="${WIDTH:-1280}" height="${HEIGHT:-2400}" scale="${SCALE:-1}"
mkdir -p "$out"
command -v "$chromium" >/dev/null || { echo "check-report: '$chromium' not found (apt-get install -y chromium, or set CHROMIUM)" >&2; exit 1; }

if [[ $# -ge 1 ]]; then
  run_dir="$1"
  report_args=("$run_dir")
else
  run_dir="$out/example-run"
  rm -rf "$run_dir"
  report_args=("$run_dir" --write-example)
  : "${EXPECT:=chart-loss chart-reward chart-kl chart-response-length chart-eval-success}"
fi

html="$out/report.html"
dotnet run --project "$repo/src/Whetstone.Cli" -c Release -- report "${report_args[@]}" --out "$html"

expect="${EXPECT:-$(grep -o '<figure class="chart" id="[^"]*"' "$html" | sed 's/.*id="\([^"]*\)"/\1/' | tr '\n' ' ')}"

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" --enable-logging=stderr --v=0)
"$chromium" "${flags[@]}" --dump-dom "file://$html" > "$out/dom.html" 2> "$out/chromium.log"
"$chromium" "${flags[@]}" --window-size="$width,$height" --force-device-scale-factor="$scale" \
  --screenshot="$out/report.png" "file://$html" >> "$out/chromium.log" 2>&1

failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }

[[ -s "$out/dom.html" ]] || fail "Chromium produced no DOM (see $out/chromium.log)"
[[ -s "$out/report.png" ]] || fail "Chromium produced no screenshot"

# One figure per line, so each chart's SVG and series can be checked on its own.
figures="$(tr -d '\n' < "$out/dom.html" | sed 's#</figure>#</figure>\n#g')"
for id in $expect; do
  figure="$(grep -o "<figure class=\"chart\" id=\"$id\">.*</figure>" <<< "$figures" | head -n 1 || true)"
  if [[ -z "$figure" ]]; then fail "chart $id is missing"; continue; fi
  grep -q '<svg' <<< "$figure" || fail "chart $id has no <svg>"
  series="$(grep -o '<g class="series"' <<< "$figure" | wc -l)"
  [[ "$series" -ge 1 ]] || fail "chart $id has no series"
  echo "ok: $id ($series series)"
done

if grep -q ':CONSOLE' "$out/chromium.log"; then
  grep ':CONSOLE' "$out/chromium.log" >&2
  fail "the page logged to the console (script error or blocked content)"
fi

# Quoted attribute values may legitimately contain escaped data; outside them no live active element may exist.
live="$(perl -pe 's/"[^"]*"/""/g' "$out/dom.html" | grep -oiE '<(script|img|iframe|object|embed)\b' | sort | uniq -c || true)"
[[ -z "$live" ]] || fail "live elements in the DOM: $live"

echo "report: $html"
echo "screenshot: $out/report.png"
if [[ $failed -ne 0 ]]; then echo "check-report: FAILED" >&2; exit 1; fi
echo "check-report: all checks passed"
