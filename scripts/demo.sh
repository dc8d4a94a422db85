#!/usr/bin/env bash
# The demonstration, with three throw-away vaults: a psychologist writes a record of each kind,
# finds, reads and amends them, seals some to her supervisor (who imports them in his vault),
# exports to probation only what the client's consent covers, sees a withdrawal refuse the next
# export, and discloses to the police under a lawful-basis override her supervisor approves;
# her data-protection officer then verifies her audit trail from his own vault, reports on it,
# and detects a rollback. Installs what is missing and builds first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --demo
echo "Building casebook (debug) ..." >&2
swift build -q
bin=$(swift build --show-bin-path)/casebook
demo=$(mktemp -d)
trap 'rm -rf "$demo"' EXIT

# A throw-away vault. CASEBOOK_PASSPHRASE is for automation like this demonstration;
# people type the passphrase at the terminal, where it is not echoed.
export CASEBOOK_VAULT="$demo/vault"
export CASEBOOK_PASSPHRASE="demonstration passphrase, never for real use"
export TZ=Europe/London

step() { printf '\n\033[1m== %s\033[0m\n' "$1"; }
show() { printf '$ casebook'; printf ' %q' "$@"; printf '\n'; "$bin" "$@"; }

step "1. Dr Amira Example (HII psychologist) creates her vault with the example identity"
show init --name "Dr Amira Example" --role psychologist --kdf interactive --identity Keys-example/psychologist.identity
show whoami

step "2. A blank HII session note to fill in (first lines)"
printf '$ casebook note template --kind hii-session --client C-0042 | head -n 14\n'
"$bin" note template --kind hii-session --client C-0042 | head -n 14

step "3. Writing one record of each kind"
printf '$ casebook note new --kind hii-session --client C-0042 <<EOF … EOF   (from standard input)\n'
"$bin" note new --kind hii-session --client C-0042 <<'DOC'
---
kind: hii-session
client: C-0042
start: 2026-11-03 10:00
duration: 50
modality: in-person
attendance: attended
labels: [identity-work]
sharing-summary: Attended and engaged; no immediate concern.
---

## Session number
3

## Focus
Identity and belonging after release.

## What the client reported
Feels cut off from former associates; unsure where he fits now.

## Interventions used
- Values clarification
- Exploring alternative identities

## Client response
Reflective; named two values he wants to live by.

## Risk: immediate concern
no

## Plan
Continue identity work; review goals next session.
DOC

cat > "$demo/ddp.md" <<'DOC'
---
kind: ddp-session
client: C-0042
start: 2026-11-04 14:30
duration: 60
modality: video
attendance: attended
sharing-summary: Mentoring session held; housing application in progress.
---

## Provider organisation
Example Intervention Provider Ltd

## Intervention type
mentoring

## Practical needs (housing, employment, finance, family…)
Housing application pending with the council.

## Information for the offender manager
Attended; housing application submitted.
DOC
show note new --kind ddp-session --client C-0042 --file "$demo/ddp.md"

# A scripted editor stands in for a person typing in $EDITOR; the file it edits lives
# in a private folder on tmpfs (/dev/shm) and is wiped afterwards.
cat > "$demo/editor.sh" <<'SH'
#!/bin/sh
cat > "$1" <<'DOC'
---
kind: mentor-log
client: C-0077
start: 2026-11-05 16:00
duration: 45
modality: phone
attendance: attended
---

## Contact type
Phone call

## Planned or ad hoc
ad-hoc

## Initiated by
client

## Topics
Job interview preparation; worried about disclosure of his conviction.

## Actions agreed (who, by when)
Mentor sends interview tips by Friday.
DOC
SH
chmod 700 "$demo/editor.sh"
printf '$ EDITOR=… casebook note new --kind mentor-log --client C-0077 --edit   (in $EDITOR)\n'
EDITOR="$demo/editor.sh" "$bin" note new --kind mentor-log --client C-0077 --edit

printf '$ casebook note new --kind theological-advice --client C-0077 < advice.md\n'
"$bin" note new --kind theological-advice --client C-0077 <<'DOC'
---
kind: theological-advice
client: C-0077
start: 2026-11-06 11:00
duration: 90
modality: in-person
attendance: attended
---

## Adviser's tradition
Sunni, Hanafi

## Theme raised (in the client's own framing)
Whether he owes obedience to the law of the land.

## Guidance given
Discussed the scholarly consensus on keeping covenants of security.

## Client response
Open to the reading; wants to talk again.
DOC

step "4. Finding records"
show note list
show note list --client C-0042
show note search "HOUSING"
id=$("$bin" note list --kind hii-session --json | sed -n 's/.*"id" : "\(.*\)".*/\1/p' | head -n 1)
show note show "$id"

step "5. Amending without losing history"
# The document part of 'note show' (after its first blank line) is an editable document.
"$bin" note show "$id" | sed '1,/^$/d' \
  | sed 's/unsure where he fits now\./has started volunteering at a food bank./' > "$demo/amended.md"
show note amend "$id" --file "$demo/amended.md" --reason "added what the client said about volunteering"
show note history "$id"
show note show "$id" --revision 1

step "6. A wrong passphrase is refused, and nothing changes"
printf '$ CASEBOOK_PASSPHRASE=wrong casebook note list\n'
set +e
CASEBOOK_PASSPHRASE="not the passphrase" "$bin" note list
echo "(exit status $?)"
set -e

step "7. A handover to her supervisor: chosen sections, sealed to him, signed by her"
psyfp=$(sed -n 's/^| Dr Amira Example | `psychologist.card` | `\(.*\)` |$/\1/p' Keys-example/README.md)
supfp=$(sed -n 's/^| Dr Sam Example | `supervisor.card` | `\(.*\)` |$/\1/p' Keys-example/README.md)
# Each has the other's card; the fingerprints were compared by phone (Keys-example/README.md).
show contacts add Keys-example/supervisor.card --fingerprint "$supfp"
# The client's recorded consent decides what may leave (default deny).
show consent grant --client C-0042 --purpose supervision --to "Dr Sam Example" --actions handover \
  --valid-from "$(date +%Y-%m-%d)" --valid-until "$(date -d '+1 year' +%Y-%m-%d)" --method written
show handover seal --to "Dr Sam Example" --client C-0042 --purpose supervision --reason "clinical supervision, November" \
  --fields focus,client-report,plan,practical-needs -o "$demo/c0042.age"
printf '$ head -c 120 c0042.age | od -c | head -n 3     (an age file: nothing readable)\n'
head -c 120 "$demo/c0042.age" | od -c | head -n 3

step "8. Dr Sam Example (supervisor) opens and imports it in his own vault"
sam=(--vault "$demo/supervisor")
show init "${sam[@]}" --name "Dr Sam Example" --role supervisor --kdf interactive --identity Keys-example/supervisor.identity
show contacts add "${sam[@]}" Keys-example/psychologist.card --fingerprint "$psyfp"
show handover open "${sam[@]}" "$demo/c0042.age"
show handover open "${sam[@]}" "$demo/c0042.age" --import --save-checkpoint "$demo/amira-from-handover.checkpoint"
received=$("$bin" note list "${sam[@]}" --kind hii-session --json | sed -n 's/.*"id" : "\(.*\)".*/\1/p' | head -n 1)
show note show "${sam[@]}" "$received"
printf '$ casebook handover open … --import   (a second time)\n'
set +e
"$bin" handover open "${sam[@]}" "$demo/c0042.age" --import
echo "(exit status $?)"
set -e

step "9. An export to probation for a MAPPA meeting: only what the client's consent covers"
# The probation officer is outside Casebook: all they have is an age key (made here with age-keygen).
probation=$(age-keygen -o "$demo/probation.key" 2>&1 | sed -n 's/^Public key: //p')
show consent grant --client C-0042 --purpose risk-management --to org:probation-north --actions export \
  --fields focus,plan,risk-immediate-concern,practical-needs,next-steps \
  --valid-from "$(date +%Y-%m-%d)" --valid-until "$(date -d '+6 months' +%Y-%m-%d)" --method written
consent=$("$bin" consent list --client C-0042 --json | sed -n 's/.*"id" : "\(.*\)".*/\1/p' | tail -n 1)
printf '$ casebook export --client C-0042 --to %s… --recipient-org probation-north --purpose risk-management …\n' "${probation:0:12}"
set +e
"$bin" export --client C-0042 --to "$probation" --recipient-org probation-north --purpose risk-management \
  --reason "MAPPA level 2 meeting" --format markdown -o "$demo/c0042-probation.age"
echo "(exit status $?: consent covers only some sections; nothing was written)"
set -e
show export --client C-0042 --to "$probation" --recipient-org probation-north --purpose risk-management \
  --reason "MAPPA level 2 meeting" --format markdown --accept-partial -o "$demo/c0042-probation.age"
printf '$ age -d -i probation.key c0042-probation.age | tar -t     (the reference age and tar)\n'
age -d -i "$demo/probation.key" "$demo/c0042-probation.age" | tar -t
printf '$ age -d -i probation.key c0042-probation.age | tar -xO export.md | head -n 20\n'
age -d -i "$demo/probation.key" "$demo/c0042-probation.age" | tar -xO export.md | head -n 20

step "10. The client withdraws consent: the next export is refused at once"
show consent withdraw "$consent" --reason "client withdrew consent to sharing with probation"
printf '$ casebook export … (the same export again)\n'
set +e
"$bin" export --client C-0042 --to "$probation" --recipient-org probation-north --purpose risk-management \
  --accept-partial -o "$demo/again.age"
echo "(exit status $?)"
set -e

step "11. A lawful-basis override: two people, two keys"
# New risk information the police need today; asking the client would alert him.
police=$(age-keygen -o "$demo/police.key" 2>&1 | sed -n 's/^Public key: //p')
show override request --client C-0042 --to "$police" --purpose risk-management --fields risk-immediate-concern,plan \
  --citation "Crime and Disorder Act 1998 s.115" \
  --justification "A named person is at risk of serious harm; the police need the risk information today." \
  --consent-sought unsafe --reason "Asking the client would alert him and raise the risk." \
  --client-informed deferred --expires "$(date -u -d '+3 days' +%Y-%m-%d)" -o "$demo/override-request.txt"
printf '$ casebook override approve override-request.txt   (in her own vault: refused)\n'
set +e
"$bin" override approve "$demo/override-request.txt" -o "$demo/self-approval.txt"
echo "(exit status $?)"
set -e
show override show "${sam[@]}" "$demo/override-request.txt"
show override approve "${sam[@]}" "$demo/override-request.txt" -o "$demo/override-approval.txt"
show export --client C-0042 --kind hii-session --to "$police" --purpose risk-management --fields risk-immediate-concern,plan \
  --override "$demo/override-approval.txt" -o "$demo/c0042-police.age"

step "12. Chris Example (data-protection officer) verifies her audit trail from his own vault"
chris=(--vault "$demo/compliance")
compfp=$(sed -n 's/^| Chris Example | `compliance.card` | `\(.*\)` |$/\1/p' Keys-example/README.md)
show init "${chris[@]}" --name "Chris Example" --role compliance --kdf interactive --identity Keys-example/compliance.identity
show contacts add "${chris[@]}" Keys-example/psychologist.card --fingerprint "$psyfp"
show contacts add Keys-example/compliance.card --fingerprint "$compfp"
# Compliance keeps every checkpoint of her log it has seen: here, the one inside the handover,
# which Dr Sam Example saved when he opened it (step 8) and passed on.
mkdir -p "$demo/trusted" && cp "$demo/amira-from-handover.checkpoint" "$demo/trusted/"
show audit export --to "Chris Example" -o "$demo/amira-1.bundle"
show audit verify "${chris[@]}" --bundle "$demo/amira-1.bundle" --trusted "$demo/trusted" --save-checkpoint
show audit report "${chris[@]}" --bundle "$demo/amira-1.bundle" --trusted "$demo/trusted" --format csv -o "$demo/report.csv"
printf '$ cut -d, -f1-9 report.csv | column -s, -t     (one row per disclosure and refusal; no note text)\n'
cut -d, -f1-9 "$demo/report.csv" | column -s, -t
show audit report "${chris[@]}" --bundle "$demo/amira-1.bundle" --trusted "$demo/trusted" --format html -o "$demo/report.html"
printf '(report.html: one self-contained page with a chart of disclosures and refusals by recipient, %s bytes)\n' \
  "$(wc -c < "$demo/report.html")"

step "13. Rewriting history is detected: an old bundle presented after a newer checkpoint"
# She goes on working (another record), then sends a newer bundle.
EDITOR="$demo/editor.sh" "$bin" note new --kind mentor-log --client C-0077 --edit >/dev/null
show audit export --to "Chris Example" -o "$demo/amira-2.bundle"
show audit verify "${chris[@]}" --bundle "$demo/amira-2.bundle" --trusted "$demo/trusted" --save-checkpoint
printf '$ casebook audit verify … --bundle amira-1.bundle --trusted trusted     (the older, shorter log again)\n'
set +e
"$bin" audit verify "${chris[@]}" --bundle "$demo/amira-1.bundle" --trusted "$demo/trusted"
echo "(exit status $?)"
set -e

step "14. Her own view of the audit log: every write, disclosure and refusal, with no note text"
show audit log
show audit verify

if command -v sqlite3 >/dev/null 2>&1; then
  step "15. What someone who copies the vault file sees"
  printf '$ sqlite3 vault.db "SELECT id, latest_revision, hex(client_id) FROM records"\n'
  sqlite3 "$CASEBOOK_VAULT/vault.db" "SELECT id, latest_revision, hex(client_id) FROM records"
  printf '$ sqlite3 vault.db "SELECT record_id, revision, hex(substr(sealed_meta, 1, 24)) FROM revisions LIMIT 2"\n'
  sqlite3 "$CASEBOOK_VAULT/vault.db" "SELECT record_id, revision, hex(substr(sealed_meta, 1, 24)) || '…' FROM revisions LIMIT 2"
fi

printf '\nDemonstration finished; the throw-away vault is removed.\n'
