#!/usr/bin/env bash
# Casebook benchmarks (not run by CI). Builds release, makes a throw-away vault,
# imports 100,000 synthetic ~1 KiB records, and times the commands of
# docs/benchmarks.md next to raw libsodium doing the same cryptographic work.
#   bash bench/run.sh [COUNT]      (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-100000}
bash scripts/install-deps.sh
command -v python3 >/dev/null || { echo "casebook: error: the benchmark needs python3 to generate records" >&2; exit 1; }
swift build -c release -q
bin=$(swift build -c release --show-bin-path)/casebook
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/baseline" bench/baseline.c $(pkg-config --cflags --libs libsodium)

export CASEBOOK_VAULT="$work/vault" CASEBOOK_PASSPHRASE="benchmark passphrase, not secret" CASEBOOK_TIMING=1 TZ=UTC
# One core, as the targets say.
run() { taskset -c 0 "$bin" "$@"; }
# Runs a command, discarding its output, and prints its timing line.
timed() { taskset -c 0 "$bin" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; return 1; }; grep timing "$work/err" | sed 's/^/   /'; }

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), libsodium $(pkg-config --modversion libsodium)"
kdf=${KDF:-interactive}
run init --name "Benchmark Practitioner" --role psychologist --kdf "$kdf" >/dev/null
echo "== Argon2id profile: $kdf"
python3 bench/generate.py "$count" > "$work/records.jsonl"
echo "== import $count records ($(du -m "$work/records.jsonl" | cut -f1) MiB of JSON Lines)"
# Import has no one-core condition: it parses and seals on every core.
"$bin" note import "$work/records.jsonl" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
grep timing "$work/err" | sed 's/^/   (all cores) /'
echo "== database: $(du -m "$work/vault/vault.db" | cut -f1) MiB"
read -r meta body < <(sqlite3 -separator ' ' "$work/vault/vault.db" "SELECT CAST(AVG(LENGTH(sealed_meta)) AS INT) - 40, CAST(AVG(LENGTH(sealed_body)) AS INT) - 40 FROM revisions")
echo "   mean plaintext: meta $meta B, body $body B"

# Repeats a command; prints every run's timing line, then the best and median command
# time (a virtualised machine's speed swings between runs: the best is the cleanest).
repeated() {
  local runs=$1 label=$2; shift 2
  echo "== $label ($runs runs)"
  for _ in $(seq "$runs"); do timed "$@"; done > "$work/runs"
  cat "$work/runs"
  sed -n 's/.*command \([0-9.]*\) s.*/\1/p' "$work/runs" | sort -n |
    awk '{ t[NR] = $1 } END { printf "   best %.3f s, median %.3f s, worst %.3f s\n", t[1], t[int((NR + 1) / 2)], t[NR] }'
}
repeated 7 "note list" note list
repeated 9 "note search, no match" note search "no such phrase anywhere"
repeated 3 "note search, a word in 97% of records" note search "belonging"
echo "== note list --client (200 records)"; timed note list --client C-0042
for i in 1 2 3; do
  echo "== note new from stdin (run $i)"
  timed note new --kind hii-session --client C-0042 --file bench/sample-note.md
done

echo "== raw libsodium, same work on one core"
echo "   decrypt $count metas:           $(taskset -c 0 "$work/baseline" xchacha "$count" "$meta") s"
echo "   decrypt $count metas + bodies:  $(taskset -c 0 "$work/baseline" xchacha "$count" $((meta + body))) s"
echo "   Argon2id ($kdf):                $(taskset -c 0 "$work/baseline" argon2id $([ "$kdf" = interactive ] && echo "2 67108864" || echo "3 268435456")) s"
