#!/usr/bin/env bash
# Constant-time check: every op of ct-check under valgrind memcheck, with its
# secrets marked undefined (see ct-check/README.md).
#
# Every real op must give no report and outputs that carried the secret;
# every positive control must be caught. Every op also runs built with
# opt-level "z", without the P-256 base-point tables and with ECDSA's
# 32-bit Montgomery backend (`--cfg paykernel_arith32`): firmware builds for
# size, the compiler's choices differ, signing takes the plain window
# instead of the comb, and Cortex-M runs the 32-bit arithmetic; and the AES ops run a third time with the software (fixsliced) AES
# backend instead of AES-NI. Exits non-zero on any failure.
#
# Ops share valgrind processes (one per core and build): starting valgrind
# costs far more than most ops, and ct-check counts memcheck's reports op
# by op (VALGRIND_COUNT_ERRORS) and marks where each op starts in the log.
#
#   ct-check/run.sh            everything
#   ct-check/run.sh PATTERN    only the ops whose name matches PATTERN (grep -E)
set -euo pipefail
cd "$(dirname "$0")/.."

out=target/ct-check

binary() {
    case $1 in
        default) echo target/ct/ct-check ;;
        soft-aes) echo target/ct-soft-aes/ct/ct-check ;;
        opt-z) echo target/ct-opt-z/ct/ct-check ;;
    esac
}

# --- one batch, in a worker: run.sh --batch BACKEND N ------------------------
# Runs the ops listed in $out/BACKEND.N.ops (name and expected verdict per
# line) in one valgrind process, then writes each op's verdict
# ($out/BACKEND.OP.result) and log ($out/BACKEND.OP.log).
if [ "${1:-}" = "--batch" ]; then
    backend=$2 n=$3
    base="$out/$backend.$n"
    bin=$(binary "$backend")
    set +e
    # shellcheck disable=SC2046 # op names have no spaces
    valgrind --tool=memcheck --errors-for-leak-kinds=none --leak-check=no \
        --track-origins=yes --num-callers=30 --error-limit=no -s \
        --suppressions=ct-check/suppressions.supp \
        --log-file="$base.vg" "$bin" run $(cut -f1 "$base.ops") >"$base.out" 2>&1
    status=$?
    set -e
    while IFS=$'\t' read -r op expect; do
        log="$out/$backend.$op.log"
        grep -P "^\Q$op\E: " "$base.out" >"$log" || true
        # The op's part of valgrind's log: from its marker to the next one.
        awk -v m="ct-check: op $op" '
            index($0, "ct-check: op ") { on = (substr($0, index($0, "ct-check: op ")) == m) }
            /HEAP SUMMARY:|ERROR SUMMARY:/ { on = 0 }
            on' "$base.vg" >>"$log"
        line=$(grep -P "^ct-check-result\t\Q$op\E\t" "$base.out" || true)
        if [ -z "$line" ]; then
            errors="?" st="none"
        else
            errors=$(cut -f3 <<<"$line")
            st=$(cut -f4 <<<"$line")
        fi
        case $st in
            0) what="ok" ;;
            3) what="output without the secret" ;;
            4) what="wrong answer" ;;
            none) what="no result (valgrind exit $status; see $base.vg)" ;;
            *) what="status $st" ;;
        esac
        if [ "$errors" != 0 ] && [ "$errors" != "?" ] && [ "$st" = 0 ]; then
            what="memcheck reports"
        fi
        case $expect in
            clean) want="no report, secret reached every output"
                   [ "$st" = 0 ] && [ "$errors" = 0 ] && verdict=PASS || verdict=FAIL ;;
            leak) want="at least one report"
                  [ "$st" != none ] && [ "$errors" != 0 ] && [ "$errors" != "?" ] \
                      && verdict=PASS || verdict=FAIL ;;
            untainted) want="caught: an output without the secret"
                       [ "$st" = 3 ] && [ "$errors" = 0 ] && verdict=PASS || verdict=FAIL ;;
        esac
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$verdict" "$backend" "$op" "$errors" "$what" "$want" \
            >"$out/$backend.$op.result"
    done <"$base.ops"
    exit 0
fi

pattern=${1:-.}
start=$(date +%s)

# --- valgrind ------------------------------------------------------------------
if ! command -v valgrind >/dev/null 2>&1 || [ ! -f /usr/include/valgrind/memcheck.h ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "ct-check: installing valgrind"
        apt-get update && apt-get install -y valgrind
    else
        echo "ct-check: valgrind (with /usr/include/valgrind/memcheck.h) is missing; run as root or install it" >&2
        exit 2
    fi
fi

# --- builds: the `ct` profile, which is the release profile (subtle's debug
# asserts branch on secrets; fat LTO, as users build) with
# line information, so that reports name files and lines -----------------
echo "== ct-check: building (ct profile; with the software AES backend; at opt-level z without the P-256 tables, with the 32-bit P-256 arithmetic)"
cargo build --profile ct -p ct-check
RUSTFLAGS="${RUSTFLAGS:-} --cfg aes_backend=\"soft\"" \
    cargo build --profile ct -p ct-check --target-dir target/ct-soft-aes
CARGO_PROFILE_CT_OPT_LEVEL=z RUSTFLAGS="${RUSTFLAGS:-} --cfg paykernel_arith32" \
    cargo build --profile ct -p ct-check --no-default-features --target-dir target/ct-opt-z
built=$(date +%s)

rm -rf "$out"
mkdir -p "$out"

# --- the ops, dealt out round-robin into one batch per core and build --------
ops=$("$(binary default)" list | grep -E -- "^[^[:space:]]*($pattern)" || true)
if [ -z "$ops" ]; then
    echo "ct-check: no op matches $pattern" >&2
    exit 2
fi
cores=$(nproc)
: >"$out/jobs"
for backend in default opt-z soft-aes; do
    i=0
    while IFS=$'\t' read -r name expect aes; do
        if [ "$backend" = soft-aes ] && [ "$aes" != aes ]; then
            continue
        fi
        printf '%s\t%s\n' "$name" "$expect" >>"$out/$backend.$((i % cores)).ops"
        i=$((i + 1))
    done <<<"$ops"
    for ((n = 0; n < cores && n < i; n++)); do
        printf '%s %s\n' "$backend" "$n" >>"$out/jobs"
    done
done

runs=$(cat "$out"/*.ops | wc -l)
echo "== ct-check: $runs runs under valgrind memcheck, in $(wc -l <"$out/jobs") processes"
xargs -P "$cores" -n 2 "$0" --batch <"$out/jobs"

# --- summary -------------------------------------------------------------------
cat "$out"/*.result | sort -t $'\t' -k3,3 -k2,2 >"$out/summary"
echo
printf '%-5s %-9s %-38s %7s  %s\n' verdict backend op reports result
while IFS=$'\t' read -r verdict backend op errors what want; do
    printf '%-5s %-9s %-38s %7s  %s\n' "$verdict" "$backend" "$op" "$errors" "$what"
done <"$out/summary"

# Suppressed reports, by suppression and build (valgrind -s).
echo
echo "suppressed reports (see ct-check/suppressions.supp):"
for backend in default opt-z soft-aes; do
    for f in "$out/$backend".*.vg; do
        [ -f "$f" ] && sed -n 's/.*used_suppression: *\([0-9]*\) \([^ ]*\) .*/\2 \1/p' "$f"
    done | awk -v b="$backend" '{ n[$1] += $2 } END { for (s in n) printf "  %-9s %-40s %6d\n", b, s, n[s] }' |
        sort -k2,2
done

total=$(wc -l <"$out/summary")
failed=$(grep -c '^FAIL' "$out/summary" || true)
controls=$(grep -c -E $'\t(control\\.)' "$out/summary" || true)
took="$(($(date +%s) - start))s, of which builds $((built - start))s"
echo
if [ "$total" -ne "$runs" ]; then
    echo "== ct-check: $runs runs planned, $total results ($took)" >&2
    exit 1
fi
if [ "$failed" -gt 0 ]; then
    grep '^FAIL' "$out/summary" | while IFS=$'\t' read -r _ backend op _ what want; do
        echo "FAIL $backend $op: $what (wanted: $want); log $out/$backend.$op.log:"
        sed -n '1,60p' "$out/$backend.$op.log" | sed 's/^/    /'
    done
    echo "== ct-check: $failed of $total runs FAILED ($took)"
    exit 1
fi
echo "== ct-check: all $total runs passed, $controls of them controls caught as planted ($took)"
