#!/usr/bin/env bash
# paykernel next to OpenSSL on the same inputs, in one process: the table
# of benches/peers (per row: paykernel, OpenSSL, their ratio), with the
# date, the machine and the versions above it.
#
#   benches/peers/run.sh                    every row
#   PEERS_FILTER=MAC benches/peers/run.sh   the rows whose name contains MAC
#
# Installs libssl-dev and pkg-config (apt-get, as root) if they are
# missing. PEERS_SAMPLES and PEERS_SAMPLE_MS set the sampling (see
# src/main.rs). Run it on a quiet machine: every figure is the fastest of
# the samples, and both sides are sampled alternately.
set -euo pipefail
cd "$(dirname "$0")"

if ! pkg-config --exists openssl 2>/dev/null || [ ! -f /usr/include/openssl/des.h ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "peers: installing libssl-dev and pkg-config" >&2
        apt-get update -qq && apt-get install -y -qq libssl-dev pkg-config >/dev/null
    else
        echo "peers: libssl-dev and pkg-config are missing; run as root to install them" >&2
        exit 2
    fi
fi

cargo build --release --quiet

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- machine: ${cpu:-unknown CPU}, $(nproc) cores, $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- paykernel: $(git -C ../.. describe --always --dirty 2>/dev/null || echo '?'), $(rustc --version), release profile (fat LTO), features: precomputed-tables"
./target/release/paykernel-peers
