#!/usr/bin/env bash
# Fuzzing in CI: every cargo-fuzz target of fuzz/Cargo.toml, built on the
# nightly toolchain and run for a bounded time over its committed seeds.
#
#   fuzz/run-ci.sh                 every target, 20 s each
#   FUZZ_SECONDS=60 fuzz/run-ci.sh longer runs
#   fuzz/run-ci.sh tlv record      only these targets
#
# Targets come from `cargo fuzz list`, so a target registered in
# fuzz/Cargo.toml is run without changing this script. Each starts from
# fuzz/seeds/TARGET/ (copied to a scratch corpus: the repository stays
# clean), or from an empty corpus when it has no seeds, with the
# dictionary fuzz/TARGET.dict when there is one. A crash, a leak, an input
# slower than FUZZ_TIMEOUT or more memory than FUZZ_RSS_MB fails the run:
# the script goes on with the other targets, then exits 1, printing each
# reproducer's path and the command that replays it.
#
# Environment:
#   FUZZ_SECONDS    seconds of fuzzing per target (20)
#   FUZZ_TIMEOUT    seconds one input may take before it counts as a hang (30)
#   FUZZ_RSS_MB     memory limit of a run in MB (2048)
#   FUZZ_TOOLCHAIN  rustup toolchain (nightly)
#   FUZZ_WORK       scratch folder for corpora, reproducers and logs
#                   (fuzz/target/ci, git-ignored); emptied per target
#
# Cost measured on the project machine (2 cores shared with other builds):
# see fuzz/README.md, "In CI".
set -euo pipefail
cd "$(dirname "$0")"
fuzz_dir=$(pwd)

seconds=${FUZZ_SECONDS:-20}
timeout=${FUZZ_TIMEOUT:-30}
rss_mb=${FUZZ_RSS_MB:-2048}
toolchain=${FUZZ_TOOLCHAIN:-nightly}
work=${FUZZ_WORK:-$fuzz_dir/target/ci}

case $seconds in '' | *[!0-9]* | 0)
    echo "fuzz/run-ci.sh: FUZZ_SECONDS must be a whole number of seconds above 0, not '$seconds'" >&2
    exit 2
    ;;
esac

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "cargo-fuzz is not installed: installing it (cargo install cargo-fuzz --locked)"
    cargo install cargo-fuzz --locked
fi
if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
    echo "toolchain $toolchain is not installed: installing it"
    rustup toolchain install "$toolchain" --profile minimal
fi
fuzz=(cargo "+$toolchain" fuzz)

if [ $# -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <("${fuzz[@]}" list)
fi
if [ ${#targets[@]} -eq 0 ]; then
    echo "fuzz/run-ci.sh: no fuzz targets in fuzz/Cargo.toml" >&2
    exit 1
fi
echo "targets (${#targets[@]}): ${targets[*]}"
echo "$seconds s each; $("${fuzz[@]}" --version); $(rustup run "$toolchain" rustc --version)"

# One build of every target (cargo fuzz's defaults: optimized, debug
# assertions and overflow checks on, AddressSanitizer).
t0=$(date +%s)
if [ $# -gt 0 ]; then
    for t in "${targets[@]}"; do "${fuzz[@]}" build "$t"; done
else
    "${fuzz[@]}" build
fi
build_s=$(($(date +%s) - t0))
echo "build: ${build_s} s"

mkdir -p "$work"
failed=()
t1=$(date +%s)
for t in "${targets[@]}"; do
    corpus=$work/corpus/$t
    artifacts=$work/artifacts/$t
    log=$work/logs/$t.log
    rm -rf "$corpus" "$artifacts"
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    seeds=$fuzz_dir/seeds/$t
    if [ -d "$seeds" ] && [ -n "$(ls -A "$seeds")" ]; then
        cp "$seeds"/* "$corpus"/
        from="$(ls "$seeds" | wc -l) seeds from fuzz/seeds/$t"
    else
        from="NO SEEDS (fuzz/seeds/$t is missing): an empty corpus"
    fi
    args=(-max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb="$rss_mb"
        -artifact_prefix="$artifacts/" -print_final_stats=1)
    dict=$fuzz_dir/$t.dict
    if [ -f "$dict" ]; then
        args+=(-dict="$dict")
        from="$from, dictionary fuzz/$t.dict"
    fi
    printf '\n-- %s: %s\n' "$t" "$from"
    s=$(date +%s)
    if "${fuzz[@]}" run "$t" "$corpus" -- "${args[@]}" >"$log" 2>&1; then
        status=ok
    else
        status=FAILED
        failed+=("$t")
    fi
    # cargo fuzz makes fuzz/artifacts/TARGET even when told to write
    # elsewhere: take it away again if it stayed empty.
    rmdir "$fuzz_dir/artifacts/$t" 2>/dev/null || true
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    printf '   %s in %s s: %s runs, corpus %s -> %s files\n' \
        "$status" "$(($(date +%s) - s))" "${runs:-?}" \
        "$(ls "$seeds" 2>/dev/null | wc -l)" "$(ls "$corpus" | wc -l)"
    if [ "$status" = FAILED ]; then
        echo "   what libFuzzer said (all of it in $log):"
        grep -E -A3 "panicked at|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|SUMMARY:|Test unit written|^error|^Error" "$log" |
            grep -v -E "^ *#[0-9]+ 0x" | head -n 30 | sed 's/^/   | /'
        found=0
        for a in "$artifacts"/*; do
            [ -e "$a" ] || continue
            found=1
            echo "   reproducer: $a"
            echo "   replay it:  (cd fuzz && cargo +$toolchain fuzz run $t $a)"
            echo "   shrink it:  (cd fuzz && cargo +$toolchain fuzz tmin $t $a)"
        done
        if [ $found = 0 ]; then
            echo "   no reproducer was written (the run failed before fuzzing?): see $log"
        fi
    fi
done
echo
echo "fuzzing: ${#targets[@]} targets, build ${build_s} s, runs $(($(date +%s) - t1)) s"
rmdir "$fuzz_dir/artifacts" 2>/dev/null || true
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]} (reproducers above; they stay in $work/artifacts until the next run)" >&2
    exit 1
fi
