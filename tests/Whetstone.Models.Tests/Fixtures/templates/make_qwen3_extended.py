"""Regenerates qwen3_extended_cases.jsonl: more Qwen3 conversations (reasoning_content, <think>
in content, several tool calls and responses, a second system message, a user turn that looks
like a tool response, enable_thinking true/false/absent) in the chat_cases.jsonl shape, rendered
by the reference Jinja2 3.1 configured as transformers configures apply_chat_template.
Conversations the template rejects are left out.

Run: python3 make_qwen3_extended.py > qwen3_extended_cases.jsonl
"""
import copy
import json

import jinja2
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
env.filters["tojson"] = tojson

config = json.load(open("qwen3_tokenizer_config.json"))
template = env.from_string(config["chat_template"])
special = {"eos_token": config["eos_token"], "pad_token": config["pad_token"],
           "additional_special_tokens": config["additional_special_tokens"]}

TOOLS = [
    {"type": "function", "function": {"name": "search", "description": "Search the web.", "parameters": {
        "type": "object", "properties": {"query": {"type": "string", "description": "what"},
                                         "k": {"type": "integer", "enum": [1, 2]}}, "required": ["query"]}}},
    {"type": "function", "function": {"name": "noargs", "parameters": {"type": "object", "properties": {}}}},
]
CONVERSATIONS = [
    [{"role": "user", "content": "hi"}],
    [{"role": "system", "content": " sys "}, {"role": "user", "content": " q "}, {"role": "assistant", "content": "a"}],
    [{"role": "user", "content": "find"},
     {"role": "assistant", "content": "ok ", "tool_calls": [{"type": "function", "function": {"name": "search", "arguments": {"query": "x y", "k": 2, "extra": [1.5, "é", None, True]}}}]},
     {"role": "tool", "content": "r1"}, {"role": "assistant", "content": "done"}],
    [{"role": "user", "content": "q1"}, {"role": "assistant", "content": "a1", "reasoning_content": "r1"},
     {"role": "user", "content": "q2"}, {"role": "assistant", "content": "<think>\nr2\n</think>\n\na2"}],
    [{"role": "user", "content": "q1"},
     {"role": "assistant", "content": "", "reasoning_content": "plan", "tool_calls": [{"function": {"name": "search", "arguments": {"query": "a"}}}, {"function": {"name": "noargs", "arguments": {}}}]},
     {"role": "tool", "content": "res1"}, {"role": "tool", "content": "res2"},
     {"role": "assistant", "content": "final", "reasoning_content": None}],
    [{"role": "user", "content": "<tool_response>\nx\n</tool_response>"}, {"role": "assistant", "content": "\n\nlead"}],
    [{"role": "system", "content": "S"}, {"role": "system", "content": "S2"}, {"role": "user", "content": "u"}],
    [{"role": "user", "content": "emoji 😀 and\ttabs"}, {"role": "assistant", "content": "<think>\n\n</think>\n\nplain"},
     {"role": "user", "content": "again"}],
]


def main():
    for messages in CONVERSATIONS:
        for tools in (None, TOOLS):
            for add_generation_prompt in (False, True):
                for enable_thinking in (None, True, False):
                    kwargs = {"messages": copy.deepcopy(messages), "tools": copy.deepcopy(tools), "documents": None,
                              "add_generation_prompt": add_generation_prompt, **special}
                    if enable_thinking is not None:
                        kwargs["enable_thinking"] = enable_thinking
                    try:
                        rendered = template.render(**kwargs)
                    except jinja2.TemplateError:
                        continue
                    row = {"messages": messages}
                    if tools is not None:
                        row["tools"] = tools
                    row["add_generation_prompt"] = add_generation_prompt
                    if enable_thinking is not None:
                        row["enable_thinking"] = enable_thinking
                    row["rendered"] = rendered
                    print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
