# Sourced by the firmware scripts (no_std-test/run-qemu.sh, firmware/budget.sh,
# ffi/c-test/run.sh), or by hand before a firmware build: the environment
# that builds paykernel for bare-metal Arm with Debian's rustc-web (rustup
# cannot add targets here).
#
#   apt-get install -y rustc-web rust-web-src lld-22 qemu-system-arm
#
# - RUSTC: Debian's rustc (rustup's proxies come first on PATH); its sysroot
#   holds the standard library's source, so cargo's -Zbuild-std=core builds
#   `core` for the target (RUSTC_BOOTSTRAP=1 lets the stable cargo take -Z).
# - the linker: Debian ships no `rust-lld`; lld-22's ld.lld takes its place.
# - FW_BUILD_STD: the -Z option to pass to cargo.
#
# It sets no target directory: builds with this rustc should use one of
# their own (CARGO_TARGET_DIR, as the scripts do: target/thumb,
# firmware/target/opt-*), so that they do not invalidate the host's. A missing
# package is named and sourcing fails (status 2) without ending the shell.
fw_die() { echo "$*" >&2; return 2; }
fw_env() {
    export RUSTC_BOOTSTRAP=1
    export RUSTC="${PAYKERNEL_RUSTC:-/usr/bin/rustc}"
    [ -x "$RUSTC" ] || { fw_die "no $RUSTC: apt-get install -y rustc-web rust-web-src"; return; }
    [ -d "$("$RUSTC" --print sysroot)/lib/rustlib/src/rust/library/core" ] \
        || { fw_die "no core source for $RUSTC: apt-get install -y rust-web-src"; return; }
    FW_LLD="$(command -v ld.lld-22 || command -v ld.lld || true)"
    [ -n "$FW_LLD" ] || { fw_die "no ld.lld: apt-get install -y lld-22"; return; }
    export CARGO_TARGET_THUMBV7EM_NONE_EABIHF_LINKER="$FW_LLD"
    export CARGO_TARGET_THUMBV7M_NONE_EABI_LINKER="$FW_LLD"
    command -v qemu-system-arm >/dev/null \
        || { fw_die "no qemu-system-arm: apt-get install -y qemu-system-arm"; return; }
    FW_BUILD_STD=(-Zbuild-std=core)
}
fw_env || return 2 2>/dev/null || exit 2
