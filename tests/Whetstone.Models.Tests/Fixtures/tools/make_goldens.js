// Golden ids from the reference implementation: the Hugging Face tokenizers library (Rust), through
// its Node binding (npm package "tokenizers", which ships the native binary).
//
//   mkdir /tmp/tokref && cd /tmp/tokref && npm install tokenizers@0.23.2
//   NODE_PATH=/tmp/tokref/node_modules node make_goldens.js TOKENIZER_JSON OUT_JSONL [--special]
//
// Texts: every line of golden_texts.txt (with \n, \r, \t, \uXXXX escapes), the same lines joined in
// pairs, and 60 seeded random concatenations. Each output line: {"text", "ids", "decoded"} and,
// with --special, "ids_special" (encode with add_special_tokens) as well.
const { Tokenizer } = require('tokenizers');
const fs = require('fs');
const path = require('path');

const [file, out, flag] = process.argv.slice(2);
const unescape = s => s.replace(/\\(n|r|t|u([0-9a-fA-F]{4}))/g, (_, c, hex) =>
  hex ? String.fromCharCode(parseInt(hex, 16)) : { n: '\n', r: '\r', t: '\t' }[c]);
const lines = fs.readFileSync(path.join(__dirname, 'golden_texts.txt'), 'utf8').split('\n').filter(l => l).map(unescape);
let seed = 12345;
const rand = n => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const texts = [...lines];
for (let i = 0; i + 1 < lines.length; i += 2) texts.push(lines[i] + lines[i + 1]);
for (let k = 0; k < 60; k++) {
  let t = '';
  for (let j = 0, n = 2 + rand(4); j < n; j++) t += lines[rand(lines.length)].slice(0, 5 + rand(60)) + [' ', '', '\n', '  '][rand(4)];
  texts.push(t);
}

(async () => {
  const tok = Tokenizer.fromFile(file);
  const rows = [];
  for (const text of texts) {
    if (/[\uD800-\uDFFF]/.test(text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) continue; // sliced a pair
    const e = await tok.encode(text, null, { addSpecialTokens: false });
    const ids = Array.from(e.getIds());
    const row = { text, ids, decoded: await tok.decode(ids, false) };
    if (flag === '--special') row.ids_special = Array.from((await tok.encode(text, null, { addSpecialTokens: true })).getIds());
    rows.push(JSON.stringify(row));
  }
  fs.writeFileSync(out, rows.join('\n') + '\n');
  console.log(`${rows.length} cases -> ${out}`);
})();
