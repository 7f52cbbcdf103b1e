"""Renders chatml_cases.jsonl: conversations through Whetstone's ChatML template (ChatMlTemplate.Source) with
reference Jinja2 configured as transformers configures it (trim_blocks, lstrip_blocks, loopcontrols, a
{% generation %} tag that just renders its body, tojson = json.dumps(ensure_ascii=False)).

Run from this folder: python3 make_chatml_cases.py  (needs jinja2; tested with 3.1.6)
"""
import json
import re
from pathlib import Path

import jinja2
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

SOURCE = Path(__file__).parents[4] / "src/Whetstone.Training/Data/ChatMlTemplate.cs"


def template_source():
    text = SOURCE.read_text(encoding="utf-8")
    body = re.search(r'Source =\n\s*"""\n(.*?)\n(\s*)""";', text, re.S)
    indent = len(body.group(2))
    return "\n".join(line[indent:] for line in body.group(1).split("\n"))


class Generation(Extension):
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
        return jinja2.nodes.Scope(body, lineno=lineno)


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[Generation, loopcontrols])
    env.filters["tojson"] = lambda x, indent=None, separators=None, sort_keys=False: json.dumps(
        x, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sort_keys)
    return env


TOOLS = [
    {"type": "function", "function": {"name": "calculator", "description": "Evaluate an arithmetic expression.",
                                      "parameters": {"type": "object", "properties": {"expression": {"type": "string"}}, "required": ["expression"]}}},
    {"type": "function", "function": {"name": "search", "description": "Search the knowledge base.",
                                      "parameters": {"type": "object", "properties": {"query": {"type": "string"}, "k": {"type": "integer"}}, "required": ["query"]}}},
]


def call(i, name, args):
    return {"id": f"c{i}", "type": "function", "function": {"name": name, "arguments": args}}


CONVERSATION = [
    {"role": "system", "content": "You are careful."},
    {"role": "user", "content": "What is 17*23, and how many people live in Paris?"},
    {"role": "assistant", "content": "", "tool_calls": [call(1, "calculator", {"expression": "17*23"}), call(2, "search", {"query": "Paris population", "k": 1})]},
    {"role": "tool", "tool_call_id": "c1", "name": "calculator", "content": "391"},
    {"role": "tool", "tool_call_id": "c2", "name": "search", "content": "Paris: 2.1 million"},
    {"role": "assistant", "content": "Checking a newer figure.", "reasoning_content": "2023 data; look again.", "tool_calls": [call(3, "search", {"query": "Paris 2024"})]},
    {"role": "tool", "tool_call_id": "c3", "name": "search", "content": "Paris 2024: 2.05 million — «source»"},
    {"role": "assistant", "content": "391, and about 2.1 million.", "reasoning_content": "Numbers agree."},
]

CASES = [
    {"messages": [{"role": "user", "content": "Hi!"}], "add_generation_prompt": True},
    {"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "U"}, {"role": "assistant", "content": "A"}], "add_generation_prompt": False},
    {"messages": CONVERSATION[:2], "tools": TOOLS, "add_generation_prompt": True},
    {"messages": CONVERSATION[1:5], "tools": TOOLS, "add_generation_prompt": True},
    {"messages": CONVERSATION, "tools": TOOLS, "add_generation_prompt": False},
    {"messages": CONVERSATION[1:], "add_generation_prompt": False},
    {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}, {"role": "system", "content": "late system"},
                  {"role": "user", "content": "multi\nline\t😀"}], "add_generation_prompt": True},
    {"messages": [{"role": "tool", "tool_call_id": "x", "content": "orphan output"}, {"role": "user", "content": "q"}], "add_generation_prompt": True},
]


def main():
    template = environment().from_string(template_source())
    out = Path(__file__).with_name("chatml_cases.jsonl")
    with out.open("w", encoding="utf-8") as f:
        for case in CASES:
            rendered = template.render(messages=case["messages"], tools=case.get("tools"), add_generation_prompt=case["add_generation_prompt"],
                                       bos_token=None, eos_token="<|im_end|>", pad_token="<|endoftext|>")
            f.write(json.dumps({**case, "rendered": rendered}, ensure_ascii=False) + "\n")
    print(f"{len(CASES)} cases -> {out}")


if __name__ == "__main__":
    main()
