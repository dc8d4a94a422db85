# Shared by bench/compare.sh and bench/log-agreement.sh (sourced, not run): timing one
# command, and timing a command with the before and after binaries, alternating. Expects
# $core, $runs, $work and the array bin[before|after] to be set by the script.

# One timed run: the command time CASEBOOK_TIMING reports, in seconds.
timed() {
  local out
  out=$(CASEBOOK_TIMING=1 taskset -c "$core" "$@" 2>&1 >/dev/null) || { echo "$out" >&2; exit 1; }
  sed -n 's/^timing: .*command \([0-9.]*\) s.*/\1/p' <<<"$out"
}
# Best and median of a list of numbers.
summary() { sort -n | awk '{a[NR]=$1} END {printf "best %.3f s, median %.3f s", a[1], a[int((NR+1)/2)]}'; }

# Runs the function given (which calls `timed`, with $b and $v set) RUNS times for each
# binary, alternating, and prints both summaries.
compare() {
  local label=$1 run=$2 before="" after=""
  for _ in $(seq "$runs"); do
    b=${bin[before]} v="$work/before"; before+="$($run)"$'\n'
    b=${bin[after]} v="$work/after"; after+="$($run)"$'\n'
  done
  printf '%-40s before: %s   after: %s\n' "$label" "$(printf '%s' "$before" | summary)" "$(printf '%s' "$after" | summary)"
}
