// Compares Whetstone's tokens and greedy continuations with llama.cpp's for one exported model.
//   node compare.mjs WHET.json LLAMACPP.json LABEL [TIE_GAP]   (exit 1 on a mismatch that is not a near tie)
// Tokenization must be identical. Greedy tokens must be identical, except that with TIE_GAP > 0 a mismatch
// counts as a near tie when llama.cpp's top-2 log-probability gap at that step is below TIE_GAP. run.sh uses 0
// (strict) for F32 files; for F16 files llama.cpp rounds every matmul input to float16 as well (relative error
// 2^-11), which moves logits by up to a few hundredths on these random models, so it allows gaps below 0.05.
import { readFileSync } from "node:fs";

const [whetPath, llamaPath, label, tieGapText] = process.argv.slice(2);
const tieGap = Number(tieGapText ?? 0);
const whet = JSON.parse(readFileSync(whetPath, "utf8"));
const llama = JSON.parse(readFileSync(llamaPath, "utf8"));
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
let failed = false;

whet.tokenized.forEach((ids, i) => {
    const ok = same(ids, llama.tokenized[i]);
    failed ||= !ok;
    console.log(`${label} tokenize #${i}: ${ok ? "same" : "DIFFERENT"} (${ids.length} ids)` +
        (ok ? "" : `\n  whet  ${JSON.stringify(ids)}\n  llama ${JSON.stringify(llama.tokenized[i])}`));
});
whet.greedy.forEach((ids, i) => {
    const other = llama.greedy[i];
    const k = ids.findIndex((x, j) => x !== other[j]);
    if (k < 0) {
        const gap = Math.min(...llama.logProbGaps[i]);
        console.log(`${label} greedy #${i}: same ${ids.length} tokens (closest call: top-2 gap ${gap.toFixed(4)})`);
        return;
    }
    const gap = llama.logProbGaps[i][k];
    const nearTie = gap < tieGap;
    failed ||= !nearTie;
    console.log(`${label} greedy #${i}: first ${k} of ${ids.length} tokens same, then ${ids[k]} vs ${other[k]} ` +
        `where llama.cpp's top-2 gap is ${gap.toFixed(4)} (${nearTie ? "near tie" : "MISMATCH"})`);
});
process.exit(failed ? 1 : 0);
