// Greedy tokens from real llama.cpp (the prebuilt CPU build inside the npm package node-llama-cpp).
//   node llamacpp-greedy.mjs MODEL.gguf REQUESTS.json  ->  prints one JSON object to stdout
// REQUESTS.json: {"texts": ["..."], "prompts": [[ids...]], "maxTokens": N}
// Output: {"tokenized": [[ids...]], "greedy": [[ids...]], "logProbGaps": [[per step]], "metadata": {...}}: the ids llama.cpp's tokenizer gives
// each text (special tokens parsed, no BOS added unless the GGUF asks for it), and the greedy continuation of each
// prompt (temperature 0, run to maxTokens without stopping at end-of-generation tokens).
import { readFileSync } from "node:fs";
import { getLlama, readGgufFileInfo } from "node-llama-cpp";

const [modelPath, requestsPath] = process.argv.slice(2);
const requests = JSON.parse(readFileSync(requestsPath, "utf8"));
const llama = await getLlama({ build: "never", gpu: false, logLevel: "error" });
const model = await llama.loadModel({ modelPath });
const tokenized = requests.texts.map(t => Array.from(model.tokenize(t, true)));

const greedy = [];
const gaps = [];
for (const prompt of requests.prompts) {
    // F32 KV cache and no flash attention: llama.cpp's default F16 cache rounds keys and values, which can flip
    // near-tied greedy choices of a random model; Whetstone keeps its cache in F32.
    const context = await model.createContext({
        contextSize: 256, batchSize: 256, threads: 2, flashAttention: false,
        experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32",
    });
    const sequence = context.getSequence();
    const out = [];
    const stepGaps = []; // log p(top1) - log p(top2) at each step: how close each greedy choice was
    for await (const step of sequence.evaluateWithMetadata(prompt, { probabilities: true }, { temperature: 0 })) {
        out.push(step.token);
        const top = [...step.probabilities.values()].sort((a, b) => b - a);
        stepGaps.push(top.length > 1 ? Math.log(top[0]) - Math.log(top[1]) : Infinity);
        if (out.length >= requests.maxTokens) break;
    }
    greedy.push(out);
    gaps.push(stepGaps);
    await context.dispose();
}
const info = await readGgufFileInfo(modelPath, { readTensorInfo: false });
const md = info.metadata;
const arch = md.general.architecture;
console.log(JSON.stringify({
    tokenized,
    greedy,
    logProbGaps: gaps,
    metadata: {
        architecture: arch,
        blockCount: md[arch].block_count,
        tokenizerPre: md.tokenizer.ggml.pre,
        tokens: md.tokenizer.ggml.tokens.length,
        eos: md.tokenizer.ggml.eos_token_id,
        chatTemplateLength: md.tokenizer.chat_template?.length ?? 0,
    },
}));
await model.dispose();
