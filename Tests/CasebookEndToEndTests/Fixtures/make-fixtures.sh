#!/usr/bin/env bash
# Makes the format fixtures in Fixtures/v1 with a given casebook binary. They were made once,
# by the binary of commit f44ba70 (before the reshaping of issue 11), and are committed; the
# test FormatFixtureTests opens, verifies and imports each with today's code, so that a change
# that alters a format on disk or on the wire fails CI. Not run by CI.
#   bash Tests/CasebookEndToEndTests/Fixtures/make-fixtures.sh BINARY
set -euo pipefail
bin=$(realpath "$1")
cd "$(dirname "$0")"
keys=../../../Keys-example
out=v1
rm -rf "$out" && mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CASEBOOK_PASSPHRASE="fixture passphrase, never for real use"
export TZ=UTC
fp() { sed -n "s/^| $1 | \`$2.card\` | \`\(.*\)\` |\$/\1/p" "$keys/README.md"; }
amira=(--vault "$out/amira"); sam=(--vault "$out/sam"); chris=(--vault "$out/chris")

"$bin" init "${amira[@]}" --name "Dr Amira Example" --role psychologist --kdf interactive --identity "$keys/psychologist.identity"
"$bin" init "${sam[@]}" --name "Dr Sam Example" --role supervisor --kdf interactive --identity "$keys/supervisor.identity"
"$bin" init "${chris[@]}" --name "Chris Example" --role compliance --kdf interactive --identity "$keys/compliance.identity"
"$bin" contacts add "${amira[@]}" "$keys/supervisor.card" --fingerprint "$(fp "Dr Sam Example" supervisor)"
"$bin" contacts add "${amira[@]}" "$keys/compliance.card" --fingerprint "$(fp "Chris Example" compliance)"
"$bin" contacts add "${sam[@]}" "$keys/psychologist.card" --fingerprint "$(fp "Dr Amira Example" psychologist)"
"$bin" contacts add "${chris[@]}" "$keys/psychologist.card" --fingerprint "$(fp "Dr Amira Example" psychologist)"

"$bin" note new "${amira[@]}" --kind hii-session --client C-0042 --file records/hii.md
"$bin" note new "${amira[@]}" --kind ddp-session --client C-0042 --file records/ddp.md
"$bin" note new "${amira[@]}" --kind theological-advice --client C-0077 --file records/theological.md
id=$("$bin" note list "${amira[@]}" --kind hii-session --json | sed -n 's/.*"id" : "\(.*\)".*/\1/p')
"$bin" note amend "${amira[@]}" "$id" --file records/hii-amended.md --reason "added the volunteering"

"$bin" consent grant "${amira[@]}" --client C-0042 --purpose supervision --to "Dr Sam Example" --actions handover \
  --valid-from 2026-01-01 --valid-until 2099-12-31 --method written
"$bin" handover seal "${amira[@]}" --to "Dr Sam Example" --client C-0042 --purpose supervision \
  --reason "clinical supervision" --fields focus,client-report,plan,practical-needs -o "$out/handover.age"
"$bin" handover open "${sam[@]}" "$out/handover.age" --save-checkpoint "$out/amira-handover.checkpoint" >/dev/null

age-keygen -o "$out/probation.key" 2>/dev/null
probation=$(sed -n 's/^# public key: //p' "$out/probation.key")
"$bin" consent grant "${amira[@]}" --client C-0042 --purpose risk-management --to org:probation-north --actions export \
  --fields focus,plan,risk-immediate-concern,practical-needs,next-steps \
  --valid-from 2026-01-01 --valid-until 2099-12-31 --method written
"$bin" export "${amira[@]}" --client C-0042 --to "$probation" --recipient-org probation-north --purpose risk-management \
  --reason "MAPPA level 2 meeting" --format markdown --accept-partial -o "$out/export.age"

police=$(age-keygen 2>/dev/null | sed -n 's/^# public key: //p')
"$bin" override request "${amira[@]}" --client C-0042 --to "$police" --purpose risk-management \
  --fields risk-immediate-concern,plan --citation "Crime and Disorder Act 1998 s.115" \
  --justification "A named person is at risk of serious harm; the police need the risk information today." \
  --consent-sought unsafe --reason "Asking the client would alert him and raise the risk." \
  --client-informed deferred --expires "$(date -u -d '+3 days' +%Y-%m-%d)" -o "$out/override-request.txt"
"$bin" override approve "${sam[@]}" "$out/override-request.txt" -o "$out/override-approval.txt"
"$bin" export "${amira[@]}" --client C-0042 --kind hii-session --to "$police" --purpose risk-management \
  --fields risk-immediate-concern,plan --override "$out/override-approval.txt" -o "$work/police.age"

"$bin" audit export "${amira[@]}" --to "Chris Example" -o "$out/audit.bundle"
"$bin" whoami "${amira[@]}" --card -o "$out/amira.card" >/dev/null
printf '%s\n' "$CASEBOOK_PASSPHRASE" > "$out/passphrase.txt"
# Expected values the test compares with, taken from the binary that made the fixtures.
"$bin" note list "${amira[@]}" --json > "$out/amira-notes.json"
"$bin" audit log "${amira[@]}" --json > "$out/amira-audit.json"
"$bin" consent list "${amira[@]}" --json > "$out/amira-consents.json"
"$bin" contacts list "${amira[@]}" --json > "$out/amira-contacts.json"
ls -la "$out"/*/
