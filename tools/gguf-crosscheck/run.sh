#!/usr/bin/env bash
# Cross-checks `whet export gguf` against real llama.cpp: the CPU build that the npm package node-llama-cpp
# ships prebuilt (@node-llama-cpp/linux-x64, llama.cpp compiled by its authors; nothing is built here).
# For each of llama (Llama 3 tokenizer, untied, q/k permuted), qwen2 (q/k/v biases) and qwen3 (QK-norm):
#   1. make-tiny-model.cs writes a tiny random HF directory (2 layers, width 64, the real fixture tokenizer);
#   2. whet export gguf writes F32 and F16 GGUF files;
#   3. whet tokenize and whet generate (greedy) give Whetstone's ids for tools/gguf-crosscheck/texts.jsonl;
#   4. llamacpp-greedy.mjs loads each GGUF in llama.cpp, tokenizes the same texts and continues the same ids;
#   5. compare.mjs reports, and fails on any difference (F32), or any that is not a near tie (F16, see compare.mjs).
# Usage: tools/gguf-crosscheck/run.sh [WORK_DIR]   (needs dotnet, node >= 20, npm registry access once)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${1:-$(mktemp -d -t whet-gguf-xc-XXXX)}
NODE_DIR=${LLAMA_NODE_DIR:-$WORK/node}
FIXTURES=$ROOT/tests/Whetstone.Models.Tests/Fixtures
MAX_TOKENS=${MAX_TOKENS:-24}
mkdir -p "$WORK" "$NODE_DIR"

if [ ! -d "$NODE_DIR/node_modules/node-llama-cpp" ]; then
    (cd "$NODE_DIR" && npm init -y >/dev/null && npm install --omit=optional --ignore-scripts --no-audit --no-fund \
        node-llama-cpp@3.22.1 @node-llama-cpp/linux-x64@3.22.1 >/dev/null)
fi
cp "$HERE/llamacpp-greedy.mjs" "$HERE/compare.mjs" "$NODE_DIR/"

dotnet build "$ROOT/src/Whetstone.Cli" -c Release -v q -nologo >/dev/null
WHET="dotnet $ROOT/src/Whetstone.Cli/bin/Release/net10.0/whet.dll"

status=0
for family in llama qwen2 qwen3; do
    tokenizer=$FIXTURES/qwen3
    [ "$family" = llama ] && tokenizer=$FIXTURES/llama3
    model=$WORK/$family
    dotnet run "$HERE/make-tiny-model.cs" -- "$model" "$family" "$tokenizer"
    $WHET export gguf --model "$model" --out "$model/f32.gguf" --dtype f32 | grep -v '^  warning' || true
    $WHET export gguf --model "$model" --out "$model/f16.gguf" --dtype f16 >/dev/null

    # Whetstone: ids of each text, and the greedy continuation of those ids.
    $WHET tokenize --tokenizer "$model" --jsonl "$HERE/texts.jsonl" > "$model/whet-tokens.jsonl"
    : > "$model/whet-greedy.jsonl"
    while IFS= read -r line; do
        ids=$(node -e 'const o=JSON.parse(process.argv[1]); console.log(o.ids.join(","))' "$line")
        $WHET generate --model "$model" --prompt-ids "$ids" --temperature 0 --max-tokens "$MAX_TOKENS" --json >> "$model/whet-greedy.jsonl"
        echo >> "$model/whet-greedy.jsonl"
    done < "$model/whet-tokens.jsonl"
    node -e '
        const fs = require("fs");
        const lines = f => fs.readFileSync(f, "utf8").split("\n").filter(l => l.trim()).map(l => JSON.parse(l));
        const tokens = lines(process.argv[1]), greedy = lines(process.argv[2]);
        fs.writeFileSync(process.argv[3], JSON.stringify({ tokenized: tokens.map(t => t.ids), greedy: greedy.map(g => g.ids) }));
        fs.writeFileSync(process.argv[4], JSON.stringify({ texts: tokens.map(t => t.text), prompts: tokens.map(t => t.ids), maxTokens: +process.argv[5] }));
    ' "$model/whet-tokens.jsonl" "$model/whet-greedy.jsonl" "$model/whet.json" "$model/requests.json" "$MAX_TOKENS"

    for dtype in f32 f16; do
        (cd "$NODE_DIR" && node llamacpp-greedy.mjs "$model/$dtype.gguf" "$model/requests.json") > "$model/llama-$dtype.json"
        gap=0
        [ "$dtype" = f16 ] && gap=0.05
        (cd "$NODE_DIR" && node compare.mjs "$model/whet.json" "$model/llama-$dtype.json" "$family/$dtype" "$gap") || status=1
    done
done
echo "work files in $WORK"
exit $status
