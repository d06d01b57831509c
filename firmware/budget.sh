#!/usr/bin/env bash
# The firmware budget of paykernel on a Cortex-M4F (thumbv7em-none-eabihf,
# QEMU mps2-an386), at opt-level "s" and "z" (LTO, one codegen unit,
# panic = abort), printed as a markdown table:
#
# - flash (.text + .rodata) of the whole kernel and of a terminal's subset,
#   each minus a baseline program with the same runtime and no operation;
# - peak stack of every operation (stack painting), and the instructions it
#   runs (SysTick under `qemu -icount shift=0`: one virtual nanosecond per
#   instruction, read to one tick, about 40 instructions);
# - the goals: terminal <= 20 KiB, kernel <= 56 KiB, every operation <= 4 KiB
#   of stack; a row over its goal is marked "over".
#
# Usage: firmware/budget.sh [--check] [--bloat N]
#   --check    exit 1 if a goal is missed
#   --bloat N  also list the N largest symbols of the whole kernel at "s"
# Needs: apt-get install -y rustc-web rust-web-src lld-22 qemu-system-arm
#        binutils-arm-none-eabi (for arm-none-eabi-size and -nm)
set -euo pipefail
cd "$(dirname "$0")"
source ./env.sh

check=0
bloat=0
while [ $# -gt 0 ]; do
    case "$1" in
        --check) check=1 ;;
        --bloat) bloat="$2"; shift ;;
        *) echo "usage: $0 [--check] [--bloat N]" >&2; exit 2 ;;
    esac
    shift
done

target=thumbv7em-none-eabihf
levels=(s z)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

flash() { # elf -> .text + .rodata bytes
    arm-none-eabi-size -A "$1" | awk '$1 == ".text" || $1 == ".rodata" { n += $2 } END { print n }'
}

for lvl in "${levels[@]}"; do
    dir="$PWD/target/opt-$lvl"
    CARGO_TARGET_DIR="$dir" CARGO_PROFILE_RELEASE_OPT_LEVEL="$lvl" \
        cargo build --quiet --release --target "$target" "${FW_BUILD_STD[@]}" --features budget
    bin="$dir/$target/release"
    timeout 600 qemu-system-arm -machine mps2-an386 -cpu cortex-m4 -nographic -monitor none \
        -serial none -semihosting-config enable=on,target=native -icount shift=0 \
        -kernel "$bin/budget" > "$tmp/ops-$lvl" \
        || { cat "$tmp/ops-$lvl"; echo "budget program failed at opt-level $lvl" >&2; exit 1; }
    base=$(flash "$bin/flash-base")
    echo "$(( $(flash "$bin/flash-terminal") - base )) $(( $(flash "$bin/flash-kernel") - base ))" > "$tmp/flash-$lvl"
done

kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
mark() { # value goal
    if [ "$1" -le "$2" ]; then echo ""; else echo " **over**"; fi
}
over=0
read -r term_s kern_s < "$tmp/flash-s"
read -r term_z kern_z < "$tmp/flash-z"

echo "| flash (.text + .rodata) | goal | opt-level \"s\" | opt-level \"z\" |"
echo "|---|---|---|---|"
for row in "terminal subset (PIN block, AES DUKPT terminal, CMAC):$term_s:$term_z:20480" \
           "whole kernel:$kern_s:$kern_z:57344"; do
    IFS=: read -r name s z goal <<<"$row"
    echo "| $name | $(kib "$goal") | $(kib "$s")$(mark "$s" "$goal") | $(kib "$z")$(mark "$z" "$goal") |"
    [ "$s" -le "$goal" ] && [ "$z" -le "$goal" ] || over=1
done
echo
echo "| operation | stack \"s\" | instructions \"s\" | stack \"z\" | instructions \"z\" |"
echo "|---|---|---|---|---|"
stack_goal=4096
paste "$tmp/ops-s" "$tmp/ops-z" | awk -F'\t' -v goal="$stack_goal" '
    $1 == "op" {
        if ($3 != $8) { print "rows differ: " $3 " / " $8 > "/dev/stderr"; exit 3 }
        ms = ($4 > goal) ? " **over**" : ""; mz = ($9 > goal) ? " **over**" : ""
        if ($4 > goal || $9 > goal) over = 1
        printf "| %s%s | %d B%s | %\047d | %d B%s | %\047d |\n", $3, ($2 == "terminal") ? " (terminal)" : "", $4, ms, $5, $9, mz, $10
    }
    END { exit over ? 4 : 0 }' && stack_ok=1 || { rc=$?; [ $rc = 4 ] || exit $rc; stack_ok=0; }
[ "$stack_ok" = 1 ] || over=1
echo
echo "Goals: terminal subset <= 20 KiB, whole kernel <= 56 KiB, every operation <= 4 KiB of stack."
echo "Cortex-M4F (thumbv7em-none-eabihf) on QEMU mps2-an386; LTO, one codegen unit, panic = abort."

if [ "$bloat" -gt 0 ]; then
    echo
    echo "The $bloat largest symbols of the whole kernel at opt-level \"s\" (bytes, section type):"
    echo
    arm-none-eabi-nm -t d --size-sort --reverse-sort -S --demangle "$PWD/target/opt-s/$target/release/flash-kernel" \
        | awk '{ printf "    %6d %s", $2, $3; $1 = $2 = $3 = ""; print $0 }' | head -n "$bloat"
fi

if [ "$check" = 1 ] && [ "$over" = 1 ]; then
    echo "a goal is missed" >&2
    exit 1
fi
