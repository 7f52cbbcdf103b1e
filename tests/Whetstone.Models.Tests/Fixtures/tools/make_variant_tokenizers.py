#!/usr/bin/env python3
"""Writes small hand-built tokenizer.json files, one per pipeline variant the loader supports, into
Fixtures/variants/<name>/. make_goldens.js then records the reference ids for each.

usage: make_variant_tokenizers.py FIXTURES_DIR
"""
import json, os, sys

def byte_alphabet():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b); cs.append(256 + n); n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}

B = byte_alphabet()
SP = B[ord(" ")]
MERGES = [("t", "h"), ("th", "e"), (SP, "t"), (SP + "t", "he"), ("i", "n"), ("in", "g"), (SP, "a"), ("e", "r"),
          ("1", "2"), ("12", "3"), ("o", "n"), (SP, "w"), ("o", "r"), (SP + "w", "or"), ("l", "d"), (SP + "wor", "ld"),
          ("H", "e"), ("He", "l"), ("Hel", "l"), ("Hell", "o"), ("a", "n"), ("an", "d"), (SP, "and"), ("-", "-"),
          (SP, SP), (SP + SP, SP + SP), ("Ċ", "Ċ"), ("x", "x"), ("xx", "xx"), ("xxxx", "xxxx"), ("ä", "½")]

def model(drop=(), extra=(), **options):
    vocab = {}
    for b in range(256):
        if B[b] not in drop:
            vocab[B[b]] = len(vocab)
    for t in extra:
        vocab[t] = len(vocab)
    for a, b in MERGES:
        if a in vocab and b in vocab and a + b not in vocab:
            vocab[a + b] = len(vocab)
    merges = [[a, b] for a, b in MERGES if a in vocab and b in vocab]
    m = {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None, "end_of_word_suffix": None,
         "fuse_unk": False, "byte_fallback": False, "ignore_merges": False, "vocab": vocab, "merges": merges}
    m.update(options)
    return m

BL = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
BL_REGEX = dict(BL, use_regex=True)
DECODER = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}

def split(pattern, behavior, invert=False, literal=False):
    return {"type": "Split", "pattern": {"String" if literal else "Regex": pattern}, "behavior": behavior, "invert": invert}

def seq(*pre):
    return {"type": "Sequence", "pretokenizers": list(pre)}

def added(i, content, special=True, **kw):
    t = {"id": i, "content": content, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": special}
    t.update(kw)
    return t

def tokenizer(pre, normalizer=None, post=None, added_tokens=(), m=None):
    m = m or model()
    base = len(m["vocab"])
    tokens = [dict(t, id=base + k) for k, t in enumerate(added_tokens)]
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": tokens, "normalizer": normalizer,
            "pre_tokenizer": pre, "post_processor": post, "decoder": DECODER, "model": m}

def nf(kind):
    return {"type": kind}

QWEN = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
O200K = (r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
         r"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
         r"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+")
SPECIALS = [added(0, "<|endoftext|>"), added(0, "<|im_start|>"), added(0, "<|im_end|>"), added(0, "<tool_call>", special=False)]

variants = {
    "split_removed": tokenizer(seq(split(r"\s+", "Removed"), BL)),
    "split_merged_previous": tokenizer(seq(split(r"[-\s]", "MergedWithPrevious"), BL)),
    "split_merged_next": tokenizer(seq(split(r"[-\s]", "MergedWithNext"), BL)),
    "split_contiguous": tokenizer(seq(split(r"[-\s]", "Contiguous"), BL)),
    "split_invert": tokenizer(seq(split(r"\p{L}+", "Isolated", invert=True), BL)),
    "split_string": tokenizer(seq(split("in", "Isolated", literal=True), BL)),
    "split_lookahead_ignorecase": tokenizer(seq(split(r"(?i:the|and)(?=\s)|\w+|\W", "Isolated"), BL)),
    # Regex translation on harder patterns: OpenAI o200k's case-aware split (Lu/Lt/Lm/Lo/M classes, optional
    # (?i) suffix), and one with \d \w \W \s, '.', '^'/'$' anchors and an astral range in a class.
    "split_o200k_pattern": tokenizer(seq(split(O200K, "Isolated"), BL)),
    "split_escapes_anchors_astral": tokenizer(seq(split(r"^\w+|\d{2}|[\x{1F600}-\x{1F64F}\x{1D400}-\x{1D7FF}]+|\W\s?|.$|.", "Isolated"), BL)),
    "bytelevel_prefix_space": tokenizer({"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}, added_tokens=SPECIALS),
    "digits_runs": tokenizer(seq({"type": "Digits", "individual_digits": False}, BL_REGEX)),
    "nfkc_lowercase": tokenizer(seq(split(QWEN, "Isolated"), BL), normalizer={"type": "Sequence", "normalizers": [nf("NFKC"), nf("Lowercase")]}),
    "nfd": tokenizer(seq(split(QWEN, "Isolated"), BL), normalizer=nf("NFD")),
    "replace_prepend_strip": tokenizer(seq(split(QWEN, "Isolated"), BL), normalizer={"type": "Sequence", "normalizers": [
        {"type": "Strip", "strip_left": True, "strip_right": True},
        {"type": "Replace", "pattern": {"String": "  "}, "content": " "},
        {"type": "Replace", "pattern": {"Regex": r"\d+"}, "content": "#"},
        {"type": "Prepend", "prepend": "> "}]}),
    "added_token_options": tokenizer(seq(split(QWEN, "Isolated"), BL), normalizer=nf("Lowercase"), added_tokens=[
        added(0, "<|im_end|>", lstrip=True, rstrip=True),
        added(0, "<|im_start|>", rstrip=True),
        added(0, "Hello", special=False, normalized=True),
        added(0, "and", special=False, single_word=True),
        added(0, "<tool_call>", special=False)]),
    "template_bos_eos": tokenizer(seq(split(QWEN, "Isolated"), BL), added_tokens=[added(0, "<s>"), added(0, "</s>")],
        post={"type": "Sequence", "processors": [dict(BL, type="ByteLevel"), {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {"<s>": {"id": "<s>", "ids": [-1], "tokens": ["<s>"]}, "</s>": {"id": "</s>", "ids": [-2], "tokens": ["</s>"]}}}]}),
    "unk_fused": tokenizer(seq(split(QWEN, "Isolated"), BL), m=model(drop=set("zqxQ"), extra=["<unk>"], unk_token="<unk>", fuse_unk=True)),
    "byte_fallback": tokenizer(seq(split(QWEN, "Isolated"), BL), m=model(drop=set("zqxQ"), extra=["<0x7A>", "<0x71>", "<unk>"], unk_token="<unk>", byte_fallback=True)),
    "ignore_merges": tokenizer(seq(split(QWEN, "Isolated"), BL), m=model(extra=["Hello", SP + "theworld", "xxxxxxxxxx"], ignore_merges=True)),
    "merges_as_strings": tokenizer(seq(split(QWEN, "Isolated"), BL), m=dict(model(), merges=[" ".join(p) for p in model()["merges"]])),
}

root = sys.argv[1]
for name, t in variants.items():
    # TemplateProcessing ids refer to the added tokens, whose ids are only known here.
    if t["post_processor"]:
        ids = {a["content"]: a["id"] for a in t["added_tokens"]}
        for st in t["post_processor"]["processors"][1]["special_tokens"].values():
            st["ids"] = [ids[st["id"]]]
    os.makedirs(os.path.join(root, "variants", name), exist_ok=True)
    with open(os.path.join(root, "variants", name, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(t, f, ensure_ascii=False, indent=1)
print(len(variants), "variants")
