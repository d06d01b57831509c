#!/usr/bin/env bash
# The C test (test.c) through include/paykernel.h:
#
#   1. on the host: the release staticlib (cargo build -p paykernel-ffi) and
#      the host's cc;
#   2. the README's C example compiled against the header;
#   3. the negative control on the host: built with -DPK_PLANT_WRONG (one
#      expected byte flipped), it must fail;
#   4. on a Cortex-M4F under QEMU (mps2-an386): the staticlib for
#      thumbv7em-none-eabihf (Debian's rustc, -Zbuild-std=core) linked with
#      arm-none-eabi-gcc and newlib's semihosting (rdimon).
#
# Usage: ffi/c-test/run.sh [--host-only]
# Needs: cc; for 4, rustc-web rust-web-src lld-22 qemu-system-arm
#        gcc-arm-none-eabi libnewlib-arm-none-eabi
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/target/c-test"
mkdir -p "$out"
cflags=(-std=c99 -O2 -Wall -Wextra -Werror -pedantic -I "$root/ffi/include")

echo "-- C test on the host"
(cd "$root" && cargo build --quiet --release -p paykernel-ffi)
lib="$root/target/release/libpaykernel_ffi.a"
cc "${cflags[@]}" "$here/test.c" "$lib" -lpthread -ldl -lm -o "$out/test-host"
"$out/test-host"

echo "-- the README's C example compiles against the header"
awk '/^A terminal.s transaction in C/ { f = 1; next }
     f && /^```c$/ { g = 1; next }
     g && /^```$/ { exit }
     g' "$root/README.md" > "$out/readme-example.c"
[ -s "$out/readme-example.c" ] || { echo "no C example found in README.md" >&2; exit 1; }
cc "${cflags[@]}" -c "$out/readme-example.c" -o "$out/readme-example.o"

echo "-- negative control: a planted wrong answer must fail"
cc "${cflags[@]}" -DPK_PLANT_WRONG "$here/test.c" "$lib" -lpthread -ldl -lm -o "$out/test-host-planted"
if planted=$("$out/test-host-planted"); then
    printf '%s\n' "$planted"
    echo "the planted wrong answer passed: the C test cannot fail" >&2
    exit 1
fi
grep '^FAIL' <<<"$planted"
echo "failed as it must"

[ "${1:-}" = "--host-only" ] && exit 0

echo "-- C test on Cortex-M4F (QEMU mps2-an386)"
source "$root/firmware/env.sh"
target=thumbv7em-none-eabihf
(cd "$root" && CARGO_TARGET_DIR="$root/target/thumb" \
    cargo build --quiet --release -p paykernel-ffi --target "$target" "${FW_BUILD_STD[@]}")
arm=(-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os -ffunction-sections -fdata-sections)
# The start-up code puts the stack's address in the vector table: not
# ISO C (-pedantic), so it is compiled on its own.
arm-none-eabi-gcc "${arm[@]}" -std=c99 -Wall -Wextra -Werror -c "$here/mps2/startup.c" -o "$out/startup.o"
arm-none-eabi-gcc "${cflags[@]}" "${arm[@]}" --specs=rdimon.specs -nostartfiles \
    -T "$here/mps2/link.ld" -Wl,--gc-sections -Wl,--no-warn-execstack \
    "$here/test.c" "$out/startup.o" \
    "$root/target/thumb/$target/release/libpaykernel_ffi.a" \
    -o "$out/test-mps2-an386.elf"
timeout "${FW_TIMEOUT:-300}" qemu-system-arm -machine mps2-an386 -cpu cortex-m4 -nographic \
    -monitor none -serial none -semihosting-config enable=on,target=native \
    -kernel "$out/test-mps2-an386.elf"
