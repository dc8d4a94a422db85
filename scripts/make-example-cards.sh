#!/usr/bin/env bash
# Writes Keys-example/<persona>.card: each persona's identity card, made by
# `casebook whoami --card` from a throw-away vault around Keys-example/<persona>.identity.
# Cards are public; the personas are EXAMPLES ONLY. Run after make-example-keys.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -q
bin=$(swift build --show-bin-path)/casebook
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CASEBOOK_PASSPHRASE="example personas only, not secret"
while IFS='|' read -r file name role; do
  vault="$work/$file"
  "$bin" init --vault "$vault" --name "$name" --role "$role" --kdf interactive --identity "Keys-example/$file.identity" >/dev/null
  rm -f "Keys-example/$file.card"
  "$bin" whoami --vault "$vault" --card -o "Keys-example/$file.card" | sed -n 's/^fingerprint: \([^ ]*\).*/'"$file"': \1/p'
  chmod 644 "Keys-example/$file.card"
done <<'PERSONAS'
psychologist|Dr Amira Example|psychologist
mentor|Ben Example|mentor
supervisor|Dr Sam Example|supervisor
compliance|Chris Example|compliance
PERSONAS
echo "Wrote Keys-example/*.card"
