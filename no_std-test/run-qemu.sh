#!/usr/bin/env bash
# The known answers of no_std-test on emulated Cortex-M, with QEMU's exit
# status (semihosting exit) as the verdict:
#
#   thumbv7em-none-eabihf  on  qemu-system-arm -machine mps2-an386 (Cortex-M4F)
#   thumbv7m-none-eabi     on  qemu-system-arm -machine mps2-an385 (Cortex-M3)
#
# then the negative control: the same program with one expected byte flipped
# (feature plant-wrong-answer) must fail on the Cortex-M4F.
#
# Usage: no_std-test/run-qemu.sh [--no-negative] [TARGET...]
# Needs: apt-get install -y rustc-web rust-web-src lld-22 qemu-system-arm
set -euo pipefail
cd "$(dirname "$0")"
source ../firmware/env.sh
export CARGO_TARGET_DIR="$PWD/target/thumb"

negative=1
targets=()
for a in "$@"; do
    case "$a" in
        --no-negative) negative=0 ;;
        -*) echo "unknown option $a" >&2; exit 2 ;;
        *) targets+=("$a") ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=(thumbv7em-none-eabihf thumbv7m-none-eabi)

# A program that hangs (it should not: faults and panics exit through
# semihosting) is stopped and counts as a failure.
export FW_TIMEOUT="${FW_TIMEOUT:-300}"

run() { # target [cargo args...]
    local target="$1"; shift
    timeout "$FW_TIMEOUT" cargo run --quiet --release --target "$target" "${FW_BUILD_STD[@]}" "$@"
}

for t in "${targets[@]}"; do
    echo "-- no_std-test on $t (QEMU)"
    run "$t"
done

if [ "$negative" = 1 ]; then
    t="${targets[0]}"
    echo "-- negative control: a planted wrong answer on $t must fail"
    if out=$(run "$t" --features plant-wrong-answer 2>&1); then
        printf '%s\n' "$out"
        echo "the planted wrong answer passed: the QEMU run cannot fail" >&2
        exit 1
    fi
    if ! grep -q '^FAIL cmac aes sp800-38b d.1$' <<<"$out"; then
        printf '%s\n' "$out"
        echo "the planted run failed, but not at the planted check" >&2
        exit 1
    fi
    echo "failed as it must: $(grep -c '^FAIL' <<<"$out") check failed, QEMU exited non-zero"
fi
