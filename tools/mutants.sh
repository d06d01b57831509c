#!/usr/bin/env bash
# Mutation testing of the kernel (`paykernel`, src/) with cargo-mutants,
# and a table per module: caught / missed / equivalent / unviable /
# timeout, % caught.
#
#   tools/mutants.sh                    every module of src/ (hours: see below)
#   tools/mutants.sh pin emv tlv        some modules (a folder or a file of src/)
#   tools/mutants.sh 'sign*'            a glob: src/sign*.rs and src/sign*/
#   tools/mutants.sh --report [DIR...]  the table again from the last run (or
#                                       from several runs' MUTANTS_OUT, merged)
#
# What counts as a test: the kernel's own tests, `cargo test -p paykernel
# --tests` (its unit tests and its integration tests in tests/). Not the
# doctests (rustdoc compiles each on its own: minutes per mutant) and not
# the CLI's vector suites (another package; `MUTANTS_ARGS=--test-workspace=true`
# adds every workspace test, at several times the cost). A missed mutant is
# a test the kernel lacks.
#
# Equivalent mutants are not excluded from the run: every mutant is built
# and tested, and those listed in tools/mutants-equivalent.md (each with
# the reason no test can tell it from the original) are counted in their
# own column instead of "missed". % caught = (caught + timeout) / (caught
# + timeout + missed), equivalent and unviable left out. A timeout is a
# mutant that made the tests hang: CI would fail, so it counts as caught.
#
# Builds: one job (`--jobs 1`, the machine is shared), debug assertions
# and overflow checks on as in `cargo test`, the kernel at opt-level 1 and
# its dependencies at opt-level 2 (the tests run in seconds instead of
# half a minute; a mutant rebuilds only the kernel), no debug info. The
# build folder target/mutants-build is kept between runs, so only the
# first run builds the dependencies.
#
# Time, measured on the project machine (2 cores shared with other
# engineers' builds, load average 11-14): first build of the dependencies
# 10 min; then about 12 s a mutant (7 s incremental build, 2-4 s tests for
# a caught one, 5 s for a missed one). Per module and in full, see the
# table the script prints (its "min" column) and the numbers in
# tools/mutants-equivalent.md. The whole kernel (about 3100 mutants, 1200
# of them in the generated DES S-box circuits) is about 10 hours: too slow
# for CI; run it by hand after changing a module, on that module.
#
# Two ways to go faster, each as sound as the full run:
# - The S-box circuits (src/cipher/des/sbox.rs): tools/sbox_mutants.py
#   judges all their mutants in seconds by evaluating each mutated circuit
#   on its 64 inputs, which is what their exhaustive test does; it prints
#   a cargo-mutants filter to confirm its survivors (and a sample of the
#   rest) here.
# - MUTANTS_TESTS=--lib: only the unit tests (one test binary to link
#   instead of four: about a third of the build time a mutant). A mutant
#   they catch is caught; rerun the survivors with the default, which
#   adds the integration tests, before counting them as missed.
#
# Environment:
#   MUTANTS_JOBS        cargo-mutants --jobs (1)
#   MUTANTS_OUT         where mutants.out goes (target/mutants)
#   MUTANTS_TARGET_DIR  the build folder (target/mutants-build)
#   MUTANTS_DIR         the tree to mutate (this repository); e.g. an export
#                       of an older commit, to measure before a change
#   MUTANTS_ARGS        more cargo-mutants options (e.g. "--shard 1/4",
#                       "--iterate", "-F src/pin/mod.rs:120:")
#   MUTANTS_TESTS       which tests judge a mutant (--tests: the unit and
#                       the integration tests; --lib: the unit tests only)
#   MUTANTS_BUILD_TIMEOUT  seconds a mutant's build may take (300). Some
#                       mutants of the compile-time tables (a loop step
#                       `i += 1` made `i *= 1`) make rustc's constant
#                       evaluation run forever; such a build is stopped and
#                       counted as a timeout, as CI would fail on it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=${MUTANTS_OUT:-$root/target/mutants}
equivalent=$root/tools/mutants-equivalent.md

report() {
    python3 - "$equivalent" "$@" <<'EOF'
import json, os, re, sys
from collections import defaultdict

eq_file, dirs = sys.argv[1], sys.argv[2:]
# Several runs (e.g. one interrupted, then the rest): a mutant's last
# outcome counts; the baselines are listed one by one.
merged, bases = {}, []
for d in dirs:
    with open(os.path.join(d, "mutants.out", "outcomes.json")) as f:
        for o in json.load(f)["outcomes"]:
            if o["scenario"] == "Baseline":
                bases.append(o)
            else:
                merged[o["scenario"]["Mutant"]["name"]] = o
data = {"outcomes": bases + list(merged.values())}

def bare(name):
    # "src/pin/block.rs:35:5: replace ..." -> "src/pin/block.rs: replace ..."
    return re.sub(r"^([^:]+):\d+:\d+:", r"\1:", name)

# Each entry: the name without line and column, and optionally the line
# ("(line N)" after the name) when one function has several such mutants,
# or the line and column ("(line N, column M)") when one line has several.
equivalent = {}
with open(eq_file) as f:
    for line in f:
        m = re.match(r"^\| `(src/[^`]+)`(?: \(line (\d+)(?:, column (\d+))?\))?", line)
        if m:
            # A `|` inside a table cell is written `\|`.
            name = m.group(1).replace("\\|", "|")
            at = None
            if m.group(2):
                at = int(m.group(2)) if not m.group(3) else (int(m.group(2)), int(m.group(3)))
            equivalent.setdefault(name, set()).add(at)

def listed(full):
    """The entry that covers mutant `full` ("file:line:col: ..."), if any."""
    lines = equivalent.get(bare(full))
    if lines is None:
        return None
    line, col = int(full.split(":")[1]), int(full.split(":")[2])
    for at in ((line, col), line, None):
        if at in lines:
            return (bare(full), at)
    return None

ORDER = ["pin/", "dukpt/", "mac/", "emv/", "record/", "sign.rs", "key.rs", "cipher/",
         "tlv/", "keyblock/", "kdf.rs", "pan.rs", "ct.rs", "error.rs", "lib.rs"]

def group(path):
    rest = path[len("src/"):]
    return rest.split("/")[0] + "/" if "/" in rest else rest

rows = defaultdict(lambda: defaultdict(float))
missed, listed_seen, base = [], set(), []
for o in data["outcomes"]:
    secs = sum(p.get("duration", 0) for p in o.get("phase_results", []))
    if o["scenario"] == "Baseline":
        base.append(secs)
        continue
    m = o["scenario"]["Mutant"]
    g = group(m["file"])
    s = o["summary"]
    entry = listed(m["name"])
    r = rows[g]
    r["mutants"] += 1
    r["secs"] += secs
    if s == "CaughtMutant":
        r["caught"] += 1
    elif s == "MissedMutant":
        if entry:
            r["equivalent"] += 1
            listed_seen.add(entry)
        else:
            r["missed"] += 1
            missed.append(m["name"])
    elif s == "Unviable":
        r["unviable"] += 1
    elif s == "Timeout":
        r["timeout"] += 1
    else:
        r["other"] += 1

def line(g, r):
    judged = r["caught"] + r["timeout"] + r["missed"]
    pct = 100.0 * (r["caught"] + r["timeout"]) / judged if judged else 100.0
    return (f"| {g:<10} | {int(r['mutants']):>7} | {int(r['caught']):>6} | {int(r['missed']):>6} | "
            f"{int(r['equivalent']):>10} | {int(r['unviable']):>8} | {int(r['timeout']):>7} | "
            f"{pct:>8.1f} | {r['secs'] / 60:>5.1f} |")

print("| module     | mutants | caught | missed | equivalent | unviable | timeout | % caught |   min |")
print("|------------|--------:|-------:|-------:|-----------:|---------:|--------:|---------:|------:|")
total = defaultdict(float)
for g in sorted(rows, key=lambda g: (ORDER.index(g) if g in ORDER else len(ORDER), g)):
    print(line(g, rows[g]))
    for k, v in rows[g].items():
        total[k] += v
print(line("all", total))
if base:
    print("\nbaseline (unmutated build and tests): " + ", ".join(f"{b / 60:.1f} min" for b in base))
if missed:
    print(f"\nmissed, and not in tools/mutants-equivalent.md ({len(missed)}):")
    for n in missed:
        print(f"  {n}")
caught_listed = sorted({listed(o["scenario"]["Mutant"]["name"]) for o in data["outcomes"]
                        if o["scenario"] != "Baseline" and o["summary"] == "CaughtMutant"}
                       - {None} - listed_seen)
if caught_listed:
    print("\nlisted as equivalent but caught (take them off the list):")
    for n, line in caught_listed:
        where = f" (line {line[0]}, column {line[1]})" if isinstance(line, tuple) else (f" (line {line})" if line else "")
        print(f"  {n}" + where)
sys.exit(2 if missed else 0)
EOF
}

if [ "${1:-}" = "--report" ]; then
    shift
    if [ $# -eq 0 ]; then set -- "$out"; fi
    report "$@"
    exit $?
fi

if ! command -v cargo-mutants >/dev/null 2>&1; then
    echo "cargo-mutants is not installed: cargo install cargo-mutants --locked" >&2
    exit 1
fi

src_dir=${MUTANTS_DIR:-$root}
files=()
for m in "$@"; do
    m=${m#src/}
    m=${m%/}
    # `sign.rs` names the file even where a folder `sign/` exists too.
    file_only=
    case $m in *.rs) file_only=1 ;; esac
    m=${m%.rs}
    case $m in
    *'*'* | *'?'*) files+=(-f "src/$m.rs" -f "src/$m/**") ;;
    *)
        if [ -n "$file_only" ] && [ -f "$src_dir/src/$m.rs" ]; then
            files+=(-f "src/$m.rs")
        elif [ -d "$src_dir/src/$m" ]; then
            files+=(-f "src/$m/**")
        elif [ -f "$src_dir/src/$m.rs" ]; then
            files+=(-f "src/$m.rs")
        else
            echo "tools/mutants.sh: no module src/$m or src/$m.rs" >&2
            exit 2
        fi
        ;;
    esac
done

export CARGO_TARGET_DIR=${MUTANTS_TARGET_DIR:-$root/target/mutants-build}
export CARGO_PROFILE_DEV_DEBUG=0 CARGO_PROFILE_TEST_DEBUG=0
mkdir -p "$out"
start=$(date +%s)
set +e
# shellcheck disable=SC2086 # MUTANTS_ARGS is a list of options
cargo mutants --dir "$src_dir" --package paykernel --jobs "${MUTANTS_JOBS:-1}" --output "$out" \
    --cargo-arg=--config='profile.dev.package."*".opt-level=2' \
    --cargo-arg=--config=profile.dev.opt-level=1 \
    --build-timeout "${MUTANTS_BUILD_TIMEOUT:-300}" \
    "${files[@]}" ${MUTANTS_ARGS:-} -- "${MUTANTS_TESTS:---tests}"
status=$?
set -e
echo
echo "cargo mutants exited $status after $(( ($(date +%s) - start) / 60 )) min"
case $status in
0 | 2 | 3) report "$out" ;; # 2: some missed, 3: some timed out
*) exit "$status" ;;
esac
