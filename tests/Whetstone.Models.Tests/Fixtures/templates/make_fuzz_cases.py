"""Regenerates jinja_fuzz_cases.jsonl: seeded random templates (whitespace-control nesting and
expression trees over Python values) rendered by the reference Jinja2 3.1 configured as
transformers configures it. Filters whose result is Markup (safe, e) are left out: Markup's
escaping rules are not modelled.

Run: python3 make_fuzz_cases.py > jinja_fuzz_cases.jsonl
"""
import copy
import json, random, sys
from datetime import datetime
import jinja2
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment
def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)
def rex(m): raise jinja2.exceptions.TemplateError(m)
env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
env.filters["tojson"] = tojson; env.globals["raise_exception"] = rex
R = random.Random(20261122)
TEXT = ["", " ", "  ", "\n", "\n  ", "\t", "a", "b\n", " c ", "\n\n", "  \n", "x\n  ", "\n\t "]
OPEN = ["{% if {c} %}", "{%- if {c} %}", "{% if {c} -%}", "{%+ if {c} %}", "{% if {c} +%}", "{%- if {c} -%}"]
ELSE = ["{% else %}", "{%- else %}", "{% else -%}", "{%- else -%}"]
CLOSE = ["{% endif %}", "{%- endif %}", "{% endif -%}", "{%- endif -%}", "{% endif +%}"]
FOPEN = ["{% for i in [1, 2] %}", "{%- for i in [1, 2] %}", "{% for i in [1, 2] -%}", "{%- for i in [1, 2] -%}"]
FCLOSE = ["{% endfor %}", "{%- endfor %}", "{% endfor -%}", "{%- endfor -%}"]
LEAF = ["{{ 'x' }}", "{{- 'x' }}", "{{ 'x' -}}", "{{- i -}}", "{# c #}", "{#- c -#}", "{#- c #}", "{%- set y = 1 -%}", "{% set y = 2 %}", "{{ y }}"]
def ws_block(depth):
    out = []
    for _ in range(R.randint(1, 5)):
        out.append(R.choice(TEXT))
        r = R.random()
        if depth < 3 and r < 0.25:
            out.append(R.choice(OPEN).replace("{c}", R.choice(["true", "false"])))
            out.append(ws_block(depth + 1))
            if R.random() < 0.4:
                out.append(R.choice(ELSE)); out.append(ws_block(depth + 1))
            out.append(R.choice(TEXT)); out.append(R.choice(CLOSE))
        elif depth < 3 and r < 0.4:
            out.append(R.choice(FOPEN)); out.append(ws_block(depth + 1)); out.append(R.choice(TEXT)); out.append(R.choice(FCLOSE))
        else:
            out.append(R.choice(LEAF))
    out.append(R.choice(TEXT))
    return "".join(out)
ATOMS = ["0", "1", "2", "-3", "7", "10", "0.5", "2.25", "-1.5", "1e-5", "1e16", "3.0", "'a'", "'Ab c'", "''", "' x '", "[1, 'a']", "[3, 1, 2]", "[]", "{'k': 1, 'j': [2]}", "{}", "none", "true", "false", "s", "l", "d", "n", "u", "'é😀'", "(1, 2)"]
BIN = ["+", "-", "*", "/", "//", "%", "~", "==", "!=", "<", ">", "<=", "and", "or", "in", "not in"]
FILTERS = ["length", "string", "upper", "lower", "trim", "tojson", "first", "last", "reverse | list", "sort", "join(',')", "int", "float", "abs", "round", "round(1)", "list", "default('D')", "default('D', true)", "capitalize", "title", "unique | list", "sum", "min", "max", "items | list", "dictsort", "tojson(indent=2)", "tojson(sort_keys=true)", "map('string') | list", "select | list", "batch(2) | list", "wordcount", "indent(2)", "replace('a', 'b')", "count", ]
TESTS = ["string", "number", "none", "defined", "undefined", "odd", "even", "mapping", "sequence", "iterable", "integer", "float", "boolean", "true", "false", "lower", "upper", "divisibleby 2", "eq 1", "in [1, 'a']", "sameas none"]
METHODS = [".upper()", ".lower()", ".strip()", ".split()", ".split(',')", ".startswith('a')", ".endswith('c')", ".replace('a','z')", ".title()", "[0]", "[-1]", "[1:]", "[::-1]", "[:2]", ".items() | list", ".keys() | list", ".get('k')", ".k", "['k']", ".count('a')", ".find('b')", ".rsplit(' ', 1)", ".lstrip('A')", ".format(1)"]
def expr(depth):
    r = R.random()
    if depth > 2 or r < 0.3: return R.choice(ATOMS)
    if r < 0.55: return f"({expr(depth+1)} {R.choice(BIN)} {expr(depth+1)})"
    if r < 0.7: return f"({expr(depth+1)} | {R.choice(FILTERS)})"
    if r < 0.8: return f"({expr(depth+1)} is {'not ' if R.random()<0.3 else ''}{R.choice(TESTS)})"
    if r < 0.9: return f"(u or {expr(depth+1)}){R.choice(METHODS)}"
    if r < 0.95: return f"(not {expr(depth+1)})"
    return f"({expr(depth+1)} if {expr(depth+1)} else {expr(depth+1)})"
CTX = {"s": "hello world", "l": [1, "b", None, 2.5], "d": {"k": "v", "a": [1, 2]}, "n": None}
def main():
    for i in range(1200):
        src = ws_block(0) if i % 3 == 0 else "{{ " + expr(0) + " }}"
        ctx = copy.deepcopy(CTX)
        row = {"name": f"fuzz {i}", "template": src, "context": copy.deepcopy(CTX)}
        try:
            row["expected"] = env.from_string(src).render(**ctx)
        except Exception as e:
            row["error"] = True
            row["reference_error"] = f"{type(e).__name__}: {e}"
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
