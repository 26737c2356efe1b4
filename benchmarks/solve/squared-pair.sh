#!/bin/bash
# Two relulp binaries side by side on the squared loss at three λ (benchmarks/RESULTS.md, "The squared loss's
# master, warm"). Usage: DATA=teacher_m2_n300.csv bash squared-pair.sh BEFORE AFTER [OUT]
# DATA: the plane of benchmarks/run.py's make_instance(2, 300, ...). Prints, per run: λ, binary, the 1-minute load
# before/after, wall and user seconds, then status, objective, lower bound and rounds of the summary.
set -u
before=$1 after=$2 out=${3:-/tmp/squared-pair}
mkdir -p "$out"
for lambda in 1e-2 1e-4 1e-6; do
  for bin in "$before" "$after"; do
    tag=$(basename "$bin")-$lambda
    start=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f "%e %U" -o "$out/$tag.time" "$bin" solve "$DATA" --loss squared --lambda "$lambda" \
      --time-limit 200 --output "$out/$tag.json" 2>"$out/$tag.log"
    end=$(cut -d' ' -f1 /proc/loadavg)
    echo "$lambda $(basename "$bin") load $start/$end wall/user $(tail -1 "$out/$tag.time")" \
      "$(grep -E '^(status|objective|lower bound|rounds) ' "$out/$tag.log" | tr -s ' ' | paste -sd';')"
  done
done
