#!/usr/bin/env bash
# Constant-time check: every op of ct-check under valgrind memcheck, with its
# secrets marked undefined (see ct-check/README.md).
#
# Every real op must give no report and outputs that carried the secret;
# every positive control must be caught. Every op also runs built with
# opt-level "z" (firmware builds for size; the compiler's choices differ),
# and the AES ops run a third time with the software (fixsliced) AES
# backend instead of AES-NI. Exits non-zero on any failure.
#
#   ct-check/run.sh            everything
#   ct-check/run.sh PATTERN    only the ops whose name matches PATTERN (grep -E)
set -euo pipefail
cd "$(dirname "$0")/.."

# --- one op, in a worker: run.sh --one BACKEND OP EXPECT --------------------
if [ "${1:-}" = "--one" ]; then
    backend=$2 op=$3 expect=$4
    case $backend in
        default) bin=target/release/ct-check ;;
        soft-aes) bin=target/ct-soft-aes/release/ct-check ;;
        opt-z) bin=target/ct-opt-z/release/ct-check ;;
    esac
    log="target/ct-check/$backend.$op.log"
    set +e
    valgrind --tool=memcheck --error-exitcode=1 --errors-for-leak-kinds=none \
        --leak-check=no --track-origins=yes --num-callers=30 \
        --suppressions=ct-check/suppressions.supp \
        --log-file="$log.vg" "$bin" run "$op" >"$log" 2>&1
    status=$?
    set -e
    cat "$log.vg" >>"$log"
    rm -f "$log.vg"
    errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -n 1)
    errors=${errors:-?}
    suppressed=$(sed -n 's/.*(suppressed: \([0-9]*\) from.*/\1/p' "$log" | tail -n 1)
    case $expect in
        clean) want="no report, secret reached every output"
               [ "$status" -eq 0 ] && [ "$errors" = 0 ] && verdict=PASS || verdict=FAIL ;;
        leak) want="at least one report"
              [ "$status" -eq 1 ] && [ "$errors" != 0 ] && [ "$errors" != "?" ] \
                  && verdict=PASS || verdict=FAIL ;;
        untainted) want="caught: an output without the secret"
                   [ "$status" -eq 3 ] && [ "$errors" = 0 ] && verdict=PASS || verdict=FAIL ;;
    esac
    case $status in
        0) what="ok" ;;
        1) what="memcheck reports" ;;
        3) what="output without the secret" ;;
        4) what="wrong answer" ;;
        *) what="exit $status" ;;
    esac
    if [ "${suppressed:-0}" != 0 ]; then
        what="$what ($suppressed suppressed, see suppressions.supp)"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$verdict" "$backend" "$op" "$errors" "$what" "$want" \
        >"target/ct-check/$backend.$op.result"
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

# --- builds: release (subtle's debug asserts branch on secrets), the profile
# has debug = true so that reports name files and lines ---------------------
echo "== ct-check: building (release; with the software AES backend; at opt-level z)"
cargo build --release -p ct-check
RUSTFLAGS="${RUSTFLAGS:-} --cfg aes_backend=\"soft\"" \
    cargo build --release -p ct-check --target-dir target/ct-soft-aes
CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
    cargo build --release -p ct-check --target-dir target/ct-opt-z

rm -rf target/ct-check
mkdir -p target/ct-check

# --- the ops -------------------------------------------------------------------
ops=$(target/release/ct-check list | grep -E -- "^[^[:space:]]*($pattern)" || true)
if [ -z "$ops" ]; then
    echo "ct-check: no op matches $pattern" >&2
    exit 2
fi
{
    while IFS=$'\t' read -r name expect aes; do
        printf 'default %s %s\n' "$name" "$expect"
        printf 'opt-z %s %s\n' "$name" "$expect"
        if [ "$aes" = aes ]; then
            printf 'soft-aes %s %s\n' "$name" "$expect"
        fi
    done <<<"$ops"
} >target/ct-check/jobs

echo "== ct-check: $(wc -l <target/ct-check/jobs) runs under valgrind memcheck"
xargs -P "$(nproc)" -n 3 "$0" --one <target/ct-check/jobs

# --- summary -------------------------------------------------------------------
cat target/ct-check/*.result | sort -t $'\t' -k3,3 -k2,2 >target/ct-check/summary
echo
printf '%-5s %-9s %-36s %7s  %s\n' verdict backend op reports result
while IFS=$'\t' read -r verdict backend op errors what want; do
    printf '%-5s %-9s %-36s %7s  %s\n' "$verdict" "$backend" "$op" "$errors" "$what"
done <target/ct-check/summary

total=$(wc -l <target/ct-check/summary)
failed=$(grep -c '^FAIL' target/ct-check/summary || true)
controls=$(grep -c -E $'\t(control\\.)' target/ct-check/summary || true)
echo
if [ "$failed" -gt 0 ]; then
    grep '^FAIL' target/ct-check/summary | while IFS=$'\t' read -r _ backend op _ what want; do
        echo "FAIL $backend $op: $what (wanted: $want); log target/ct-check/$backend.$op.log:"
        sed -n '1,60p' "target/ct-check/$backend.$op.log" | sed 's/^/    /'
    done
    echo "== ct-check: $failed of $total runs FAILED ($(($(date +%s) - start))s)"
    exit 1
fi
echo "== ct-check: all $total runs passed, $controls of them controls caught as planted ($(($(date +%s) - start))s)"
