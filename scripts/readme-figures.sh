#!/usr/bin/env bash
# Reruns the runs whose output README.md quotes and rewrites the quotes, so that the README shows
# what the deterministic runs print today:
#   scripts/readme-figures.sh                       # every quote
#   scripts/readme-figures.sh built-in regression   # only these (the Fashion-MNIST one takes longest)
# A quote is a fenced block between two marker lines, invisible in the rendered README:
#   <!-- figures NAME, FILTER: COMMAND; run on DATE, MACHINE -->
#   <!-- /figures -->
# COMMAND runs from the repository root (its stdout is quoted; its stderr shows here); FILTER picks
# the lines: "abridged" (set-up lines, the first two epochs, "...", the last epoch, the outcome),
# "last-epoch" (the last epoch line and the outcome) or "outcome" (the lines after the last epoch).
# The model path is written as /path/to/sparkprop, and the model line is left out of the last two.
# Losses and accuracies are the same on every run; times, rows/s and the heap vary with the machine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sparkprop_build_if_needed
cd "$SPARKPROP_ROOT"

# pick FILTER: the quoted lines of a run's output (stdin).
pick() {
  awk -v filter="$1" '
    /^epoch / { epochs[++n] = $0; after = 0; next }
    n == 0 { setup[++s] = $0; next }
    filter == "abridged" || $0 !~ /^model: / { outcome[++after] = $0 }
    END {
      if (filter == "abridged") {
        for (i = 1; i <= s; i++) print setup[i]
        for (i = 1; i <= n && i <= 2; i++) print epochs[i]
        if (n > 3) print "..."
        if (n > 2) print epochs[n]
      } else if (filter == "last-epoch") {
        print epochs[n]
      }
      for (i = 1; i <= after; i++) print outcome[i]
    }' | sed "s|$SPARKPROP_ROOT|/path/to/sparkprop|g"
}

wanted() {
  [ "$#" -eq 1 ] && return 0
  local name=$1 w
  shift
  for w in "$@"; do
    [ "$w" = "$name" ] && return 0
  done
  return 1
}

# What the quotes came from: the machine's cores, sparkprop's version and the BLAS (see --version).
versions=$(sparkprop_submit --class io.sparkprop.cli.SparkpropCli "$SPARKPROP_JAR" --version)
machine="$(nproc) cores, $(sed -n 1p <<<"$versions"), $(sed -n 3p <<<"$versions")"
marker='^<!-- figures ([a-z0-9-]+), (abridged|last-epoch|outcome): (.*); run on .* -->$'
readme=README.md
rewritten=$(mktemp "$readme.XXXXXX")
trap 'rm -f "$rewritten"' EXIT
skipping=false
while IFS= read -r line; do
  if [ "$skipping" = true ]; then
    if [ "$line" = "<!-- /figures -->" ]; then
      skipping=false
      echo "$line"
    fi
    continue
  fi
  if [[ $line =~ $marker ]] && wanted "${BASH_REMATCH[1]}" "$@"; then
    name=${BASH_REMATCH[1]} filter=${BASH_REMATCH[2]} command=${BASH_REMATCH[3]}
    echo "readme-figures: $name: $command" >&2
    output=$(bash -c "$command" | pick "$filter")
    echo "<!-- figures $name, $filter: $command; run on $(date -u +%Y-%m-%d), $machine -->"
    echo '```'
    echo "$output"
    echo '```'
    skipping=true
  else
    echo "$line"
  fi
done <"$readme" >"$rewritten"
if [ "$skipping" = true ]; then
  echo "readme-figures: a '<!-- figures' marker in $readme has no '<!-- /figures -->'" >&2
  exit 1
fi
chmod --reference="$readme" "$rewritten"
mv "$rewritten" "$readme"
