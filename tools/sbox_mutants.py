#!/usr/bin/env python3
"""Every cargo-mutants mutant of the generated S-box circuits
(src/cipher/des/sbox.rs), judged by evaluating the mutated circuit on all
64 inputs against the FIPS 46-3 S-box tables.

Why not cargo-mutants' own run: the file has about 1200 mutants (one per
gate operator), each a rebuild of the kernel and its tests, about 5 s each
on a quiet machine and 20 s on a shared one: 2 to 7 hours. The test that
would judge them, `sbox_circuits_compute_the_sboxes_on_every_input` in
src/cipher/des/tests.rs, evaluates each circuit on all 64 inputs (one per
lane) and compares every output bit with the table. It fails for a mutant
exactly when the mutated circuit computes another function, which is what
this script computes directly, in seconds. A mutant that computes the same
function on every input cannot be caught by any test: it is equivalent by
exhaustion (a gate whose change is masked downstream for every input).

The script prints the table row and the equivalent mutants; with
--confirm it prints the cargo-mutants filter (-F per mutant) to build and
test those survivors for real, and a sample of the others:

    tools/sbox_mutants.py                    # the table, the equivalents
    MUTANTS_ARGS="$(tools/sbox_mutants.py --confirm)" tools/mutants.sh cipher/des/sbox.rs

The S-box tables come from tools/des_sbox_circuits.py (FIPS 46-3).
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from des_sbox_circuits import ALL, VAR, sbox  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATH = "src/cipher/des/sbox.rs"


def truth_tables(s):
    """The four output bits of S-box s (0-based) as 64-lane words, first
    (most significant) output first: lane x holds the bit for input x."""
    return [sum(1 << x for x in range(64) if (sbox(s, x) >> (3 - j)) & 1) for j in range(4)]


LET = re.compile(r"^\s*let (x\d+) = (!?)(\w+)(?: ([&|^]) (!?)(\w+))?;$")
RET = re.compile(r"^\s*\[(\w+), (\w+), (\w+), (\w+)\]$")
ARRAY = re.compile(r"^\s*\[([01]); 4\]$")


def evaluate(lines):
    """The outputs of one circuit's body (its lines, `let` by `let`)."""
    env = {f"a{k + 1}": VAR[k] for k in range(6)}

    def operand(neg, name):
        v = env[name]
        return ALL & ~v if neg else v

    for line in lines:
        m = LET.match(line)
        if m:
            name, neg_a, a, op, neg_b, b = m.groups()
            v = operand(neg_a, a)
            if op:
                w = operand(neg_b, b)
                v = {"&": v & w, "|": v | w, "^": v ^ w}[op]
            env[name] = v
            continue
        m = RET.match(line)
        if m:
            return [env[n] for n in m.groups()]
        m = ARRAY.match(line)
        if m:
            return [int(m.group(1))] * 4
    raise ValueError("no result in the circuit")


def body(text, name):
    """The lines of function `name`'s body in `text`."""
    lines = text.split("\n")
    start = next(i for i, l in enumerate(lines) if re.match(rf"^pub\(super\) fn {name}\(", l))
    end = next(i for i in range(start, len(lines)) if lines[i] == "}")
    return lines[start + 1 : end]


def apply(text, mutant):
    """`text` with the mutant's replacement at its span (1-based lines and
    columns, the end exclusive)."""
    lines = text.split("\n")
    sp = mutant["span"]
    (l0, c0), (l1, c1) = (sp["start"]["line"], sp["start"]["column"]), (sp["end"]["line"], sp["end"]["column"])
    head = lines[l0 - 1][: c0 - 1]
    tail = lines[l1 - 1][c1 - 1 :]
    return "\n".join(lines[: l0 - 1] + [head + mutant["replacement"] + tail] + lines[l1:])


def mutants():
    out = subprocess.run(
        ["cargo", "mutants", "--list", "--json", "-f", PATH],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)


def main():
    with open(os.path.join(ROOT, PATH)) as f:
        text = f.read()
    # The unmutated circuits compute the S-boxes: otherwise nothing below means anything.
    for s in range(8):
        assert evaluate(body(text, f"s{s + 1}")) == truth_tables(s), f"S{s + 1}"
    caught, equivalent = [], []
    for m in mutants():
        name = m["function"]["function_name"]
        s = int(name[1:]) - 1
        if m["genre"] == "FnValue":
            outputs = evaluate([m["replacement"].strip()])
        else:
            outputs = evaluate(body(apply(text, m), name))
        (equivalent if outputs == truth_tables(s) else caught).append(m["name"])
    if "--confirm" in sys.argv:
        # The survivors, and every 40th caught mutant as a check that the
        # test does catch what this script says it catches.
        picks = equivalent + caught[::40]
        # "file:line:col:" names one mutant (the -F regex of cargo-mutants).
        print(" ".join("-F " + n.split(" ")[0] for n in picks))
        return
    total = len(caught) + len(equivalent)
    print("| module     | mutants | caught | missed | equivalent | unviable | timeout | % caught |")
    print("|------------|--------:|-------:|-------:|-----------:|---------:|--------:|---------:|")
    print(f"| sbox.rs    | {total:>7} | {len(caught):>6} | {0:>6} | {len(equivalent):>10} | {0:>8} | {0:>7} | {100.0:>8.1f} |")
    print(f"\nequivalent by exhaustion ({len(equivalent)}):")
    for n in equivalent:
        print(f"  {n}")


if __name__ == "__main__":
    main()
