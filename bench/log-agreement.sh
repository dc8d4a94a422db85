#!/usr/bin/env bash
# Cost of checking the tables against the audit log (issue 12; not run by CI). A vault whose
# log has about EVENTS events — notes written one at a time, as a practitioner writes them,
# plus contacts and consents — is made once with REVISION's release binary and copied, so
# both binaries read the same log. Then `consent list`, `contacts list` and `handover seal`
# of one record are timed with each binary, alternating, pinned to one core (command time
# from CASEBOOK_TIMING, the Argon2id unlock excluded).
#   bash bench/log-agreement.sh REVISION [EVENTS] [RUNS]     e.g. bash bench/log-agreement.sh ac15e38 3000 7
set -euo pipefail
cd "$(dirname "$0")/.."
revision=${1:?usage: bench/log-agreement.sh REVISION [EVENTS] [RUNS]}
events=${2:-3000}
runs=${3:-7}
core=${CORE:-1}
bash scripts/install-deps.sh
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" 2>/dev/null || true; rm -rf "$work"' EXIT
if [ -z "${BASE_BIN:-}" ]; then   # BASE_BIN: a release binary of REVISION built earlier
  git worktree add -q --detach "$work/base" "$revision"
  (cd "$work/base" && swift build -c release -q)
fi
swift build -c release -q
declare -A bin=([before]="${BASE_BIN:-$work/base/.build/release/casebook}" [after]="$(swift build -c release --show-bin-path)/casebook")
export CASEBOOK_PASSPHRASE="benchmark passphrase, not secret" TZ=UTC
b=${bin[before]} v="$work/vault"

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); pinned to core $core; $runs runs each"
"$b" init --vault "$v" --name "Dr Amira Example" --role psychologist --kdf interactive --identity Keys-example/psychologist.identity >/dev/null
"$b" contacts add --vault "$v" Keys-example/supervisor.card --fingerprint FVQE-8S0V-CZY6-4WW4-G44M-JWQD-5EDK-PKA2 >/dev/null
"$b" contacts add --vault "$v" Keys-example/compliance.card --fingerprint 74TF-SJXB-99KC-DDAH-5TQK-TAGD-BRQB-BJ1W >/dev/null
for client in C-0001 C-0002 C-0003; do
  "$b" consent grant --vault "$v" --client "$client" --purpose supervision --to "Dr Sam Example" --actions handover \
    --valid-from 2026-01-01 --valid-until 2099-12-31 --method written >/dev/null
done
first=""
for i in $(seq 1 "$events"); do
  client="C-000$((i % 3 + 1))"
  id=$(sed "s/^client: .*/client: $client/" bench/sample-note.md | "$b" note new --vault "$v" --kind hii-session --client "$client" --file - \
    | grep -o '[0-9A-Z]\{10\}' | head -1)
  [ -z "$first" ] && first=$id
done
for side in before after; do cp -r "$v" "$work/$side"; done
echo "== a vault of $(("$events" + 6)) events; the note sealed: $first"

source bench/before-after.sh
consents() { timed "$b" consent list --vault "$v"; }
contacts() { timed "$b" contacts list --vault "$v"; }
seal() { rm -f "$v/h.age"; timed "$b" handover seal --vault "$v" --to "Dr Sam Example" --note "$first" --purpose supervision -o "$v/h.age"; }
compare "consent list" consents
compare "contacts list" contacts
compare "handover seal, one record" seal
