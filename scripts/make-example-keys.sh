#!/usr/bin/env bash
# Regenerates Keys-example/: one throw-away identity per persona. EXAMPLES ONLY.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -q
bin=$(swift build --show-bin-path)/casebook
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CASEBOOK_PASSPHRASE="example personas only, not secret"
out=Keys-example/personas.md
{
  echo "# Example personas — public keys (EXAMPLES ONLY)"
  echo
  echo "| persona | role | age recipient | minisign public key |"
  echo "|---|---|---|---|"
} > "$out"
while IFS='|' read -r file name role; do
  vault="$work/$file"
  "$bin" init --vault "$vault" --name "$name" --role "$role" --kdf interactive >/dev/null
  rm -f "Keys-example/$file.identity"
  "$bin" whoami --vault "$vault" --export-identity "$work/$file.identity" 2>/dev/null
  { head -n 1 "$work/$file.identity"
    echo "# EXAMPLE ONLY: this secret key is published in Casebook's repository. Never use it for real records."
    tail -n +2 "$work/$file.identity"; } > "Keys-example/$file.identity"
  chmod 600 "Keys-example/$file.identity"
  json=$("$bin" whoami --vault "$vault" --json)
  age=$(sed -n 's/.*"age-recipient" : "\(.*\)".*/\1/p' <<<"$json")
  sig=$(sed -n 's/.*"minisign-public-key" : "\(.*\)".*/\1/p' <<<"$json")
  echo "| $name | $role | \`$age\` | \`$sig\` |" >> "$out"
done <<'PERSONAS'
psychologist|Dr Amira Example|psychologist
mentor|Ben Example|mentor
supervisor|Dr Sam Example|supervisor
compliance|Chris Example|compliance
PERSONAS
echo "Wrote Keys-example/*.identity and $out"
bash scripts/make-example-cards.sh
