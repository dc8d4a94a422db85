#!/usr/bin/env bash
# Before/after benchmark (not run by CI): builds a release binary of REVISION (in a throw-away
# git worktree) and of the working tree, then times the same commands with each, alternating
# A B A B … so that the machine's drift hits both alike, pinned to one core. Each binary gets
# its own vaults, made from the same generated records. Prints best and median command time
# (CASEBOOK_TIMING: the unlock excluded) per command and binary.
#   bash bench/compare.sh REVISION [RUNS]      e.g. bash bench/compare.sh f44ba70 5
# Sizes follow docs/benchmarks.md: list and search over 100,000 records, export and handover
# of one client's 10,000 records, audit verify of a 1,000,000-event bundle (set SMALL=1 for
# 10× smaller inputs when trying the script out).
set -euo pipefail
cd "$(dirname "$0")/.."
revision=${1:?usage: bench/compare.sh REVISION [RUNS]}
runs=${2:-5}
core=${CORE:-1}
scale=1; [ "${SMALL:-}" = 1 ] && scale=10
bash scripts/install-deps.sh --demo
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" 2>/dev/null || true; rm -rf "$work"' EXIT
if [ -z "${BASE_BIN:-}" ]; then   # BASE_BIN: a release binary of REVISION built earlier
  git worktree add -q --detach "$work/base" "$revision"
  (cd "$work/base" && swift build -c release -q)
fi
swift build -c release -q
(cd bench/audit && swift build -c release -q)
declare -A bin=([before]="${BASE_BIN:-$work/base/.build/release/casebook}" [after]="$(swift build -c release --show-bin-path)/casebook")
generator=$(cd bench/audit && swift build -c release --show-bin-path)/audit-bundle-generator
export CASEBOOK_PASSPHRASE="benchmark passphrase, not secret" TZ=UTC

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); pinned to core $core; $runs runs each"
python3 bench/generate.py $((100000 / scale)) > "$work/records.jsonl"
python3 bench/generate.py $((10000 / scale)) | sed 's/"client": *"C-[0-9]*"/"client":"C-0001"/' > "$work/one-client.jsonl"
recipient=$(age-keygen -o "$work/key.txt" 2>&1 | sed -n 's/^Public key: //p')
"$generator" $((1000000 / scale)) Keys-example/psychologist.identity Keys-example/compliance.card \
  "$work/bundle.age" "$work/events" "$work/half.checkpoint" >/dev/null

for side in before after; do
  b=${bin[$side]} v="$work/$side"
  "$b" init --vault "$v/search" --name "Benchmark Practitioner" --role psychologist --kdf interactive >/dev/null
  "$b" note import --vault "$v/search" "$work/records.jsonl" >/dev/null
  "$b" init --vault "$v/psy" --name "Dr Amira Example" --role psychologist --kdf interactive \
    --identity Keys-example/psychologist.identity >/dev/null
  "$b" init --vault "$v/sup" --name "Dr Sam Example" --role supervisor --kdf interactive \
    --identity Keys-example/supervisor.identity >/dev/null
  "$b" init --vault "$v/comp" --name "Chris Example" --role compliance --kdf interactive \
    --identity Keys-example/compliance.identity >/dev/null
  "$b" contacts add --vault "$v/psy" Keys-example/supervisor.card --fingerprint FVQE-8S0V-CZY6-4WW4-G44M-JWQD-5EDK-PKA2 >/dev/null
  "$b" contacts add --vault "$v/sup" Keys-example/psychologist.card --fingerprint ZYGC-3E40-VFBF-0N3F-3MA0-XNM3-P263-VQG2 >/dev/null
  "$b" contacts add --vault "$v/comp" Keys-example/psychologist.card --fingerprint ZYGC-3E40-VFBF-0N3F-3MA0-XNM3-P263-VQG2 >/dev/null
  for labels in "" "--labels religious-belief"; do
    "$b" consent grant --vault "$v/psy" --client C-0001 --purpose risk-management --to org:probation-north --actions export $labels \
      --valid-from 2026-01-01 --valid-until 2099-12-31 --method written >/dev/null
    "$b" consent grant --vault "$v/psy" --client C-0001 --purpose supervision --to "Dr Sam Example" --actions handover $labels \
      --valid-from 2026-01-01 --valid-until 2099-12-31 --method written >/dev/null
  done
  "$b" note import --vault "$v/psy" "$work/one-client.jsonl" >/dev/null
  "$b" handover seal --vault "$v/psy" --to "Dr Sam Example" --client C-0001 --purpose supervision -o "$v/handover.age" >/dev/null
done

source bench/before-after.sh

list() { timed "$b" note list --vault "$v/search"; }
search() { timed "$b" note search --vault "$v/search" "no such phrase anywhere"; }
export_as() {
  rm -f "$v/e.age"
  timed "$b" export --vault "$v/psy" --client C-0001 --to "$recipient" --recipient-org probation-north \
    --purpose risk-management --format "$1" -o "$v/e.age"
}
export_json() { export_as json; }
export_markdown() { export_as markdown; }
seal() { rm -f "$v/h.age"; timed "$b" handover seal --vault "$v/psy" --to "Dr Sam Example" --client C-0001 --purpose supervision -o "$v/h.age"; }
open_handover() { timed "$b" handover open --vault "$v/sup" "$v/handover.age"; }
verify() { timed "$b" audit verify --vault "$v/comp" --bundle "$work/bundle.age"; }

compare "note list ($((100000 / scale)) records)" list
compare "note search, text in no record" search
compare "export json ($((10000 / scale)) records)" export_json
compare "export markdown ($((10000 / scale)) records)" export_markdown
compare "handover seal ($((10000 / scale)) records)" seal
compare "handover open, no import ($((10000 / scale)) rec.)" open_handover
compare "audit verify --bundle ($((1000000 / scale)) events)" verify
