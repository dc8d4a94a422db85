#!/usr/bin/env bash
# Export benchmark (not run by CI): one client's COUNT records (default 10,000) exported
# with consent evaluation, minimisation, signing (JSON and the readable Markdown), sealing
# to an age recipient, and the audit event with its fresh signed checkpoint and inclusion
# proof. Timings are the command's own (CASEBOOK_TIMING: total minus the Argon2id unlock),
# pinned to one core.   bash bench/export.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}
core=${CORE:-1}
bash scripts/install-deps.sh
swift build -c release -q
bin=$(swift build -c release --show-bin-path)/casebook
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CASEBOOK_PASSPHRASE="benchmark passphrase, not secret" TZ=UTC
psy=(--vault "$work/psychologist")
"$bin" init "${psy[@]}" --name "Dr Amira Example" --role psychologist --kdf interactive >/dev/null
recipient=$(age-keygen -o "$work/key.txt" 2>&1 | sed -n 's/^Public key: //p')
# Consent to everything going to probation for risk management, theological advice included.
for labels in "" "--labels religious-belief"; do
  "$bin" consent grant "${psy[@]}" --client C-0001 --purpose risk-management --to org:probation-north --actions export $labels \
    --valid-from 2026-01-01 --valid-until 2099-12-31 --method written >/dev/null
done
python3 bench/generate.py "$count" | sed 's/"client": *"C-[0-9]*"/"client":"C-0001"/' > "$work/records.jsonl"
"$bin" note import "${psy[@]}" "$work/records.jsonl" >/dev/null
timed() { CASEBOOK_TIMING=1 taskset -c "$core" "$bin" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }; grep timing "$work/err" | sed 's/^/   /'; }
for format in json markdown; do
  for run in 1 2 3; do
    rm -f "$work/export.age"
    echo "== export $count records, --format $format (run $run)"
    timed export "${psy[@]}" --client C-0001 --to "$recipient" --recipient-org probation-north --purpose risk-management \
      --format "$format" -o "$work/export.age"
  done
  echo "   export file: $(du -k "$work/export.age" | cut -f1) KiB"
done
echo "== raw libsodium on core $core, the same cryptography (best of 3)"
# Opening every record (meta and body, about 1.5 KiB) and sealing the export file with age's
# ChaCha20-Poly1305; the minisign signature (BLAKE2b-512 of the manifest, one Ed25519
# signature) and the checkpoint signature are below a millisecond.
cc -O2 -o "$work/baseline" bench/baseline.c $(pkg-config --cflags --libs libsodium)
best() { for _ in 1 2 3; do taskset -c "$core" "$work/baseline" "$@"; done | sort -n | head -1; }
mib=$(( ($(stat -c %s "$work/export.age") >> 20) + 1 ))
echo "   decrypt $count records of 1,500 bytes:    $(best xchacha "$count" 1500) s"
echo "   ChaCha20-Poly1305 seal of $mib MiB:         $(best chacha20poly1305 seal "$mib") s"
echo "== the reference age decrypts it"
age -d -i "$work/key.txt" "$work/export.age" | tar -t
