#!/usr/bin/env bash
# Instructions per call of each side of the peers rows, under valgrind's
# callgrind: a second figure that the machine's load does not change (the
# timings of run.sh do). Each row runs alone, N calls per side (the rows'
# set-up is not counted: only what runs inside count_kernel/count_openssl).
#
#   benches/peers/callgrind.sh 'TDES block' 'retail MAC 1 KiB' ...
#   PEERS_COUNT=200 benches/peers/callgrind.sh ...   (default 100 calls)
#
# Prints: row | paykernel instructions | OpenSSL instructions | ratio.
# Needs valgrind (apt-get install -y valgrind) and what run.sh needs.
set -euo pipefail
cd "$(dirname "$0")"
n=${PEERS_COUNT:-100}
cargo build --release --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| row | paykernel instructions | OpenSSL instructions | ratio |"
echo "|---|---:|---:|---:|"
for row in "$@"; do
    out="$tmp/cg.out"
    PEERS_FILTER="$row" PEERS_COUNT="$n" valgrind --tool=callgrind --callgrind-out-file="$out" \
        --collect-atstart=no --toggle-collect='*count_kernel*' --toggle-collect='*count_openssl*' \
        ./target/release/paykernel-peers >/dev/null 2>"$tmp/log" || { cat "$tmp/log" >&2; exit 1; }
    callgrind_annotate --inclusive=yes --threshold=100 "$out" 2>/dev/null > "$tmp/ann"
    k=$(awk '/paykernel_peers::count_kernel / { gsub(",", "", $1); print $1; exit }' "$tmp/ann")
    o=$(awk '/paykernel_peers::count_openssl / { gsub(",", "", $1); print $1; exit }' "$tmp/ann")
    awk -v r="$row" -v k="$k" -v o="$o" -v n="$n" \
        'BEGIN { printf "| %s | %\047d | %\047d | %.2f |\n", r, k / n, o / n, k / o }'
done
