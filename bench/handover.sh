#!/usr/bin/env bash
# Handover benchmark (not run by CI): a psychologist's vault with COUNT records (default
# 10,000, one client) seals them all to a supervisor, who opens and imports them.
# Timings are the command's own (CASEBOOK_TIMING: total minus the Argon2id unlock),
# pinned to one core.   bash bench/handover.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}
bash scripts/install-deps.sh
swift build -c release -q
bin=$(swift build -c release --show-bin-path)/casebook
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CASEBOOK_PASSPHRASE="benchmark passphrase, not secret" TZ=UTC
psy=(--vault "$work/psychologist") sup=(--vault "$work/supervisor")
"$bin" init "${psy[@]}" --name "Dr Amira Example" --role psychologist --kdf interactive >/dev/null
"$bin" init "${sup[@]}" --name "Sam Example" --role supervisor --kdf interactive >/dev/null
"$bin" whoami "${psy[@]}" --card -o "$work/psy.card"
"$bin" whoami "${sup[@]}" --card -o "$work/sup.card"
# The card fingerprint (docs/formats.md), computed independently.
fingerprint() {
  python3 - "$1" <<'PY'
import hashlib, sys
lines = dict(l.split(": ", 1) for l in open(sys.argv[1]).read().splitlines()[1:])
digest = hashlib.sha256(("casebook-card-fingerprint-v1\n" + lines["age"] + "\n" + lines["minisign"] + "\n").encode()).digest()[:20]
alphabet, bits, value, out = "0123456789ABCDEFGHJKMNPQRSTVWXYZ", 0, 0, ""
for byte in digest:
    value, bits = (value << 8) | byte, bits + 8
    while bits >= 5:
        bits -= 5
        out += alphabet[(value >> bits) & 31]
print("-".join(out[i:i + 4] for i in range(0, 32, 4)))
PY
}
"$bin" contacts add "${psy[@]}" "$work/sup.card" --fingerprint "$(fingerprint "$work/sup.card")" >/dev/null
"$bin" contacts add "${sup[@]}" "$work/psy.card" --fingerprint "$(fingerprint "$work/psy.card")" >/dev/null
# Consent to everything going to supervision, the special category of theological advice included.
for labels in "" "--labels religious-belief"; do
  "$bin" consent grant "${psy[@]}" --client C-0001 --purpose supervision --to "Sam Example" --actions handover $labels \
    --valid-from 2026-01-01 --valid-until 2099-12-31 --method written >/dev/null
done
python3 bench/generate.py "$count" | sed 's/"client": *"C-[0-9]*"/"client":"C-0001"/' > "$work/records.jsonl"
"$bin" note import "${psy[@]}" "$work/records.jsonl" >/dev/null
timed() { CASEBOOK_TIMING=1 taskset -c 0 "$bin" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }; grep timing "$work/err" | sed 's/^/   /'; }
for run in 1 2 3; do
  rm -f "$work/handover.age"
  echo "== seal $count records (run $run)"
  timed handover seal "${psy[@]}" --to "Sam Example" --client C-0001 --purpose supervision --reason "benchmark" -o "$work/handover.age"
done
echo "   handover file: $(du -k "$work/handover.age" | cut -f1) KiB"
for run in 1 2 3; do
  echo "== open (run $run)"
  timed handover open "${sup[@]}" "$work/handover.age"
done
echo "== open and import"
timed handover open "${sup[@]}" "$work/handover.age" --import
