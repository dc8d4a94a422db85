#!/usr/bin/env bash
# age encryption benchmark (not run by CI): `casebook age encrypt/decrypt` against the
# reference age binary and raw libsodium ChaCha20-Poly1305 on the same 1 GiB, all pinned to
# one core (taskset -c 0). Wall time and peak RSS come from /usr/bin/time; output goes to
# /dev/null, input is a file in the page cache (read once before timing).
#   bash bench/age.sh [RUNS] [MIB]      (defaults: 5 runs of each, 1024 MiB)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
mib=${2:-1024}
bash scripts/install-deps.sh --test
for tool in /usr/bin/age /usr/bin/age-keygen /usr/bin/time taskset; do
  command -v "$tool" >/dev/null || { echo "casebook: error: the benchmark needs $tool" >&2; exit 1; }
done
swift build -c release -q
bin=$(swift build -c release --show-bin-path)/casebook
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/baseline" bench/baseline.c $(pkg-config --cflags --libs libsodium)

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), libsodium $(pkg-config --modversion libsodium), $(/usr/bin/age --version | head -1 | sed 's/^/age /')"
head -c $((mib << 20)) /dev/urandom > "$work/plain"
/usr/bin/age-keygen -o "$work/key.txt" 2>/dev/null
recipient=$(/usr/bin/age-keygen -y "$work/key.txt")
/usr/bin/age -r "$recipient" -o "$work/reference.age" "$work/plain"
"$bin" age encrypt -r "$recipient" -o "$work/casebook.age" "$work/plain"
cat "$work/plain" "$work/reference.age" "$work/casebook.age" > /dev/null   # into the page cache
echo "== input: $mib MiB of random bytes; $runs runs of each, one core, output to /dev/null"

# Runs a command $runs times on core 0 (CORES="0,1" for both); prints "best median" wall
# seconds and peak KiB.
cores=${CORES:-0}
measure() {
  local label=$1; shift
  : > "$work/times"
  for _ in $(seq "$runs"); do
    taskset -c "$cores" /usr/bin/time -f "%e %M" -o "$work/one" "$@" > /dev/null
    cat "$work/one" >> "$work/times"
  done
  sort -n "$work/times" | awk -v label="$label" -v mib="$mib" '
    { t[NR] = $1; if ($2 > m) m = $2 }
    END {
      best = t[1]; median = t[int((NR + 1) / 2)]
      printf "   %-34s best %6.2f s (%5.0f MiB/s), median %6.2f s (%5.0f MiB/s), peak RSS %6.1f MiB\n",
             label, best, mib / best, median, mib / median, m / 1024
    }'
}

raw() {
  local label=$1 mode=$2
  : > "$work/times"
  for _ in $(seq "$runs"); do taskset -c 0 "$work/baseline" chacha20poly1305 "$mode" "$mib" >> "$work/times"; done
  sort -n "$work/times" | awk -v label="$label" -v mib="$mib" '
    { t[NR] = $1 } END {
      printf "   %-34s best %6.2f s (%5.0f MiB/s), median %6.2f s (%5.0f MiB/s)\n",
             label, t[1], mib / t[1], t[int((NR + 1) / 2)], mib / t[int((NR + 1) / 2)] }'
}

echo "== encrypt"
measure "casebook age encrypt -r" "$bin" age encrypt -r "$recipient" "$work/plain"
measure "age -r (reference)" /usr/bin/age -r "$recipient" "$work/plain"
raw "raw libsodium seal, 64 KiB chunks" seal
if [ "$(nproc)" -gt 1 ]; then
  all=$(seq -s, 0 $(($(nproc) - 1)))
  echo "== every core (casebook works 16 chunks at a time in parallel; age uses one)"
  cores=$all measure "casebook age encrypt -r (all cores)" "$bin" age encrypt -r "$recipient" "$work/plain"
  cores=$all measure "age -r (reference, all cores)" /usr/bin/age -r "$recipient" "$work/plain"
  cores=$all measure "casebook age decrypt -i (all cores)" "$bin" age decrypt -i "$work/key.txt" "$work/casebook.age"
  cores=$all measure "age -d -i (reference, all cores)" /usr/bin/age -d -i "$work/key.txt" "$work/reference.age"
fi
echo "== decrypt"
measure "casebook age decrypt -i" "$bin" age decrypt -i "$work/key.txt" "$work/casebook.age"
measure "age -d -i (reference)" /usr/bin/age -d -i "$work/key.txt" "$work/reference.age"
raw "raw libsodium open, 64 KiB chunks" open
echo "== armored (for information)"
"$bin" age encrypt -a -r "$recipient" -o "$work/armored.age" "$work/plain"
measure "casebook age encrypt -a -r" "$bin" age encrypt -a -r "$recipient" "$work/plain"
measure "casebook age decrypt -i (armored)" "$bin" age decrypt -i "$work/key.txt" "$work/armored.age"
measure "age -d -i (armored, reference)" /usr/bin/age -d -i "$work/key.txt" "$work/armored.age"
