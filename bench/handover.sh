#!/usr/bin/env bash
# Handover benchmark (not run by CI): a psychologist's vault with COUNT records (default
# 10,000, all for one client) seals them all to a supervisor, who opens and imports them.
#   bash bench/handover.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}
bash scripts/install-deps.sh
swift build -c release -q
bin=$(swift build -c release --show-bin-path)/casebook
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CASEBOOK_PASSPHRASE="benchmark passphrase, not secret" CASEBOOK_TIMING=1 TZ=UTC
psy="$work/psychologist" sup="$work/supervisor"
"$bin" init --vault "$psy" --name "Dr Amira Example" --role psychologist --kdf interactive --identity Keys-example/psychologist.identity >/dev/null 2>&1
"$bin" init --vault "$sup" --name "Sam Example" --role supervisor --kdf interactive --identity Keys-example/supervisor.identity >/dev/null 2>&1
"$bin" whoami --vault "$psy" --card -o "$work/psy.card" 2>/dev/null
"$bin" whoami --vault "$sup" --card -o "$work/sup.card" 2>/dev/null
fp() { "$bin" contacts show --vault "$1" "$2" --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["fingerprint"])'; }
"$bin" contacts add --vault "$psy" "$work/sup.card" --fingerprint "$(sed -n 's/^fingerprint: //p' "$work/sup.card.fp" 2>/dev/null || true)" >/dev/null 2>&1 || true
