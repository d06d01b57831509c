#!/usr/bin/env bash
# The firmware budget of paykernel on a Cortex-M4F (thumbv7em-none-eabihf,
# QEMU mps2-an386), at opt-level "s" and "z" (LTO, one codegen unit,
# panic = abort, the compact software SHA-256 and AES of .cargo/config.toml),
# printed as markdown tables:
#
# - flash (.text + .rodata) of a terminal's subset, of the whole kernel
#   (issue 15's set) and of every operation measured, each minus a baseline
#   program with the same runtime and no operation;
# - peak stack of every operation (stack painting), and the instructions it
#   runs (SysTick under `qemu -icount shift=0`: one virtual nanosecond per
#   instruction, read to one tick, about 40 instructions);
# - ECDSA again with the kernel's `p256-tables` feature (the base-point
#   comb in flash);
# - the goals: terminal <= 20 KiB, kernel <= 56 KiB, every operation <= 4 KiB
#   of stack, ECDSA signing with the tables <= 2.3 M instructions; a row
#   over its goal is marked "over".
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
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Goals, in bytes and instructions.
terminal_goal=20480
kernel_goal=57344
stack_goal=4096
sign_goal=2300000

flash() { # elf -> .text + .rodata bytes
    arm-none-eabi-size -A "$1" | awk '$1 == ".text" || $1 == ".rodata" { n += $2 } END { print n }'
}

# build LEVEL NAME [cargo args...]: builds into target/NAME, runs the
# budget program under QEMU into $tmp/ops-NAME.
build() {
    local lvl="$1" name="$2"; shift 2
    local dir="$PWD/target/$name"
    CARGO_TARGET_DIR="$dir" CARGO_PROFILE_RELEASE_OPT_LEVEL="$lvl" \
        cargo build --quiet --release --target "$target" "${FW_BUILD_STD[@]}" "$@"
    bin="$dir/$target/release"
    timeout 900 qemu-system-arm -machine mps2-an386 -cpu cortex-m4 -nographic -monitor none \
        -serial none -semihosting-config enable=on,target=native -icount shift=0 \
        -kernel "$bin/budget" > "$tmp/ops-$name" \
        || { cat "$tmp/ops-$name"; echo "budget program failed ($name)" >&2; exit 1; }
}

for lvl in s z; do
    build "$lvl" "opt-$lvl" --features budget
    base=$(flash "$bin/flash-base")
    echo "$(( $(flash "$bin/flash-terminal") - base )) $(( $(flash "$bin/flash-kernel") - base )) $(( $(flash "$bin/flash-all") - base ))" \
        > "$tmp/flash-$lvl"
    # The kernel's P-256 base-point tables: the ECDSA rows and the kernel's
    # flash with them.
    build "$lvl" "opt-$lvl-tables" --features "budget p256-tables" --bin budget --bin flash-kernel
    echo "$(( $(flash "$bin/flash-kernel") - base ))" > "$tmp/flash-tables-$lvl"
done

kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
mark() { # value goal
    if [ "$1" -le "$2" ]; then echo ""; else echo " **over**"; fi
}
over=0
read -r term_s kern_s all_s < "$tmp/flash-s"
read -r term_z kern_z all_z < "$tmp/flash-z"
read -r tab_s < "$tmp/flash-tables-s"
read -r tab_z < "$tmp/flash-tables-z"

echo "| flash (.text + .rodata) | goal | opt-level \"s\" | opt-level \"z\" |"
echo "|---|---|---|---|"
# flash_row NAME S Z GOAL: one row with a goal. The fields stay separate
# arguments (no joining and splitting), so a name may hold any character.
flash_row() {
    local name="$1" s="$2" z="$3" goal="$4"
    echo "| $name | $(kib "$goal") | $(kib "$s")$(mark "$s" "$goal") | $(kib "$z")$(mark "$z" "$goal") |"
    [ "$s" -le "$goal" ] && [ "$z" -le "$goal" ] || over=1
}
flash_row "terminal subset (PIN block format 4, AES DUKPT terminal, AES-CMAC)" "$term_s" "$term_z" "$terminal_goal"
flash_row "whole kernel (issue 15's set: PIN blocks, DUKPT, MACs, KBKDF, EMV, records, ECDSA)" "$kern_s" "$kern_z" "$kernel_goal"
echo "| whole kernel with \`p256-tables\` (the 16.5 KiB comb) | — | $(kib "$tab_s") | $(kib "$tab_z") |"
echo "| every operation below (the kernel's set and the \"added\" rows) | — | $(kib "$all_s") | $(kib "$all_z") |"
echo
echo "| operation | stack \"s\" | instructions \"s\" | stack \"z\" | instructions \"z\" |"
echo "|---|---|---|---|---|"
# rows: op<TAB>set<TAB>name<TAB>stack<TAB>instructions, "s" then "z".
table() { # ops-s ops-z [filter]
    paste "$1" "$2" | awk -F'\t' -v goal="$stack_goal" -v filter="${3:-}" '
        $1 == "op" && (filter == "" || index($3, filter)) {
            if ($3 != $8) { print "rows differ: " $3 " / " $8 > "/dev/stderr"; exit 3 }
            ms = ($4 > goal) ? " **over**" : ""; mz = ($9 > goal) ? " **over**" : ""
            if ($4 > goal || $9 > goal) over = 1
            tag = ($2 == "terminal") ? " (terminal)" : ($2 == "later") ? " (added)" : ""
            printf "| %s%s | %d B%s | %\047d | %d B%s | %\047d |\n", $3, tag, $4, ms, $5, $9, mz, $10
        }
        END { exit over ? 4 : 0 }'
}
table "$tmp/ops-opt-s" "$tmp/ops-opt-z" && stack_ok=1 || { rc=$?; [ $rc = 4 ] || exit $rc; stack_ok=0; }
echo
echo "With \`p256-tables\` (goal: signing <= $(awk -v n="$sign_goal" 'BEGIN { printf "%.1f M", n / 1e6 }') instructions):"
echo
echo "| operation | stack \"s\" | instructions \"s\" | stack \"z\" | instructions \"z\" |"
echo "|---|---|---|---|---|"
table "$tmp/ops-opt-s-tables" "$tmp/ops-opt-z-tables" ECDSA || { rc=$?; [ $rc = 4 ] || exit $rc; stack_ok=0; }
[ "$stack_ok" = 1 ] || over=1
sign_ok=$(paste "$tmp/ops-opt-s-tables" "$tmp/ops-opt-z-tables" | awk -F'\t' -v goal="$sign_goal" '
    $1 == "op" && $3 == "ECDSA P-256 sign" { seen = 1; if ($5 > goal || $10 > goal) bad = 1 }
    END { print (seen && !bad) ? 1 : 0 }')
[ "$sign_ok" = 1 ] || { over=1; echo; echo "ECDSA P-256 sign with \`p256-tables\` is **over** $sign_goal instructions."; }
echo
echo "Goals: terminal subset <= 20 KiB, whole kernel <= 56 KiB, every operation <= 4 KiB of stack, ECDSA signing with \`p256-tables\` <= 2.3 M instructions."
echo "Cortex-M4F (thumbv7em-none-eabihf) on QEMU mps2-an386; LTO, one codegen unit, panic = abort; compact software SHA-256 and AES."

if [ "$bloat" -gt 0 ]; then
    echo
    echo "The $bloat largest symbols of the whole kernel at opt-level \"s\" (bytes, section type):"
    echo
    # awk stops printing, not reading: `head` closing the pipe would end
    # the script with SIGPIPE under `pipefail`.
    arm-none-eabi-nm -t d --size-sort --reverse-sort -S --demangle "$PWD/target/opt-s/$target/release/flash-kernel" \
        | awk -v n="$bloat" 'NR <= n { printf "    %6d %s", $2, $3; $1 = $2 = $3 = ""; print $0 }'
fi

if [ "$check" = 1 ] && [ "$over" = 1 ]; then
    echo "a goal is missed" >&2
    exit 1
fi
