#!/usr/bin/env bash
# audit verify benchmark (not run by CI): a synthetic audit bundle of COUNT events (default
# 1,000,000; ~300 bytes each) made by bench/audit (a separate SwiftPM package that depends on
# this one by path), verified by a release build in a compliance vault, pinned to one core,
# RUNS times (default 5), with and without a trusted checkpoint; beside sha256sum over the
# same event bytes. Wall time and peak RSS from /usr/bin/time; the command's own time
# (without the Argon2id unlock) from CASEBOOK_TIMING.
#   bash bench/audit-verify.sh [COUNT] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
runs=${2:-5}
core=${CORE:-1}
bash scripts/install-deps.sh
swift build -c release -q
(cd bench/audit && swift build -c release -q)
bin=$(swift build -c release --show-bin-path)/casebook
generator=$(cd bench/audit && swift build -c release --show-bin-path)/audit-bundle-generator
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CASEBOOK_PASSPHRASE="benchmark passphrase, not secret" TZ=UTC
vault=(--vault "$work/compliance")
"$bin" init "${vault[@]}" --name "Chris Example" --role compliance --kdf interactive --identity Keys-example/compliance.identity >/dev/null
"$bin" contacts add "${vault[@]}" Keys-example/psychologist.card --fingerprint ZYGC-3E40-VFBF-0N3F-3MA0-XNM3-P263-VQG2 >/dev/null
mkdir "$work/trusted"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); pinned to core $core"
echo "== generating $count events"
"$generator" "$count" Keys-example/psychologist.identity Keys-example/compliance.card "$work/bundle.age" "$work/events" "$work/trusted/half.checkpoint"
echo "   bundle $(du -m "$work/bundle.age" | cut -f1) MiB, event lines $(du -m "$work/events" | cut -f1) MiB"
cat "$work/bundle.age" "$work/events" > /dev/null  # in the page cache for every run

# Runs a command RUNS times pinned to one core; prints each run and the best and median.
measure() {
  local label=$1; shift
  echo "== $label ($runs runs)"
  for _ in $(seq "$runs"); do
    CASEBOOK_TIMING=1 /usr/bin/time -f "wall %e s, peak RSS %M KiB" taskset -c "$core" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
    sed -n 's/^timing: .*command \([0-9.]*\) s.*/   command \1 s (unlock excluded)/p; s/^wall/   wall/p' "$work/err" | paste -sd ' ' -
  done | tee "$work/runs"
  sed -n 's/.*wall \([0-9.]*\) s.*/\1/p' "$work/runs" | sort -n |
    awk '{ t[NR] = $1 } END { printf "   wall best %.2f s, median %.2f s\n", t[1], t[int((NR + 1) / 2)] }'
}
measure "casebook audit verify --bundle" "$bin" audit verify "${vault[@]}" --bundle "$work/bundle.age"
measure "casebook audit verify --bundle --trusted (a checkpoint of half the log)" "$bin" audit verify "${vault[@]}" --bundle "$work/bundle.age" --trusted "$work/trusted"
measure "sha256sum of the event lines" sha256sum "$work/events"

# Raw libsodium doing the same cryptography, buffer to buffer, no I/O or parsing: opening the
# age payload (ChaCha20-Poly1305 in 64 KiB chunks), the leaf hashes (SHA-256 of 0x00 and an
# event line of the average length) and the interior nodes (SHA-256 of 65 bytes).
cc -O2 -o "$work/baseline" bench/baseline.c $(pkg-config --cflags --libs libsodium)
mib=$(( $(stat -c %s "$work/bundle.age") >> 20 ))
average=$(( $(stat -c %s "$work/events") / count ))
echo "== raw libsodium on core $core (best of $runs)"
best() { for _ in $(seq "$runs"); do taskset -c "$core" "$work/baseline" "$@"; done | sort -n | head -1; }
open=$(best chacha20poly1305 open "$mib")
leaves=$(best sha256 "$count" $((average + 1)))
nodes=$(best sha256 $((count - 1)) 65)
echo "   ChaCha20-Poly1305 open of $mib MiB: $open s"
echo "   SHA-256 of $count leaves of $((average + 1)) bytes: $leaves s"
echo "   SHA-256 of $((count - 1)) interior nodes of 65 bytes: $nodes s"
awk -v a="$open" -v b="$leaves" -v c="$nodes" 'BEGIN { printf "   together %.2f s\n", a + b + c }'
